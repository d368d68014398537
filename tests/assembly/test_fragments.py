"""Parts of signed-in pages kept per key (assembly/fragments.py): each shows a write at the next
request, people and languages never mix, no part keeps anyone's CSRF token, and a form shown again
after a POST is never kept."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from assembly import fragments, page_cache
from assembly.models import AssemblyConfiguration
from decisions.models import Decision
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, WorkshopFactory
from workshops.models import Meeting, Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("within_one_minute")]

BEFORE = "Avant la modification"
AFTER = "Après la modification"


@pytest.fixture(autouse=True)
def configuration():
    return AssemblyConfiguration.get()


def _signed_in(person, **extra) -> Client:
    client = Client(**extra)
    client.force_login(person)
    return client


def test_the_decision_log_shows_a_new_decision_at_the_next_request():
    client = _signed_in(UserFactory())
    discussion(title=BEFORE)
    assert BEFORE in client.get("/decisions/").content.decode()
    discussion(title=AFTER)
    assert AFTER in client.get("/decisions/").content.decode()


@pytest.mark.parametrize("model", [Meeting, Workshop])
def test_a_title_changed_by_a_bulk_update_shows_at_once_on_the_signed_in_board(model):
    meeting = MeetingFactory(title=BEFORE)
    workshop = WorkshopFactory(meeting=meeting, title=BEFORE)
    edited = meeting if model is Meeting else workshop
    client = _signed_in(UserFactory())
    assert BEFORE in client.get(meeting.get_absolute_url()).content.decode()
    model.objects.filter(pk=edited.pk).update(title=AFTER)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert AFTER in page


def test_signing_up_shows_at_once_and_only_to_the_person_who_did():
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting)
    one, other = UserFactory(), UserFactory()
    one_client, other_client = _signed_in(one), _signed_in(other)
    url = meeting.get_absolute_url()
    for client in (one_client, other_client):
        assert "I'm out" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    one_client.post(f"/workshops/{workshop.pk}/sign-up/", {"action": "in"})

    assert "I'm out" in one_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The other person's board is their own: the card counts one more, without "I'm out".
    page = other_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I'm out" not in page
    assert "1 person in" in page


def test_a_profile_edit_shows_at_once_on_me():
    person = UserFactory(display_name=BEFORE)
    client = _signed_in(person)
    assert BEFORE in client.get("/me/").content.decode()
    response = client.post(
        "/me/", {"display_name": AFTER, "bio": "", "language": "fr"}, follow=True
    )
    assert response.status_code == 200
    assert AFTER in client.get("/me/").content.decode()


def test_two_people_never_see_each_others_page():
    one, other = UserFactory(display_name="Première Personne"), UserFactory(display_name="Autre")
    assert "Première Personne" in _signed_in(one).get("/me/").content.decode()
    page = _signed_in(other).get("/me/").content.decode()
    assert "Première Personne" not in page
    assert one.email not in page


def test_a_vote_cast_shows_at_once_on_the_decision_page():
    member = MemberFactory()
    decision = voting()
    client = _signed_in(member)
    url = decision.get_absolute_url()
    assert 'class="my-vote"' not in client.get(url).content.decode()

    client.post(f"/decisions/{decision.pk}/vote/", {"choice": "consent", "reason": ""})

    assert decision.votes.count() == 1
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="my-vote"' in page and "Change my vote" in page


def test_the_decision_page_follows_the_clock_within_a_minute():
    member = MemberFactory()
    decision = voting()
    client = _signed_in(member)
    url = decision.get_absolute_url()
    assert "vote-form" in client.get(url).content.decode()
    # Nothing is written when the vote's time is up (the close runs a little later), yet the
    # page no longer offers to vote: the minute is part of its key.
    after = Decision.objects.get(pk=decision.pk).vote_closes_at + datetime.timedelta(minutes=1)
    with time_machine.travel(after, tick=False):
        assert "vote-form" not in client.get(url).content.decode()


def test_languages_never_mix():
    client = _signed_in(UserFactory())
    discussion(title=BEFORE)
    french = client.get("/decisions/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get("/decisions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Registre des décisions" in french and "Decision log" not in french
    assert "Decision log" in english and "Registre des décisions" not in english


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def test_a_kept_layout_carries_each_visitors_own_token():
    one, other = UserFactory(), UserFactory()
    first = _signed_in(one, enforce_csrf_checks=True)
    second = _signed_in(other, enforce_csrf_checks=True)
    first.get("/decisions/")
    page = second.get("/decisions/").content.decode()
    assert page_cache.placeholder() not in page
    # The log-out form of the second person's page works for them: their own token.
    response = second.post("/accounts/logout/", {"csrfmiddlewaretoken": _token(page)})
    assert response.status_code == 302


def test_a_form_shown_again_after_a_post_is_never_kept():
    member = MemberFactory()
    decision = voting()
    client = _signed_in(member)
    url = decision.get_absolute_url()
    client.get(url)  # this person's view of the decision, kept
    response = client.post(f"/decisions/{decision.pk}/vote/", {"choice": "", "reason": ""})
    # The page again, with the form's error: had it been kept, it would replace the view above.
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    page = client.get(url).content.decode()
    assert "vote-form" in page and 'role="alert"' not in page


def test_kept_parts_are_bounded_in_number_and_bytes(monkeypatch):
    monkeypatch.setattr(fragments, "MAX_ENTRIES", 5)
    monkeypatch.setattr(fragments, "MAX_BYTES", 3000)
    for n in range(10):
        fragments.put(f"part-{n}", "x" * 1000)
    assert fragments.count() <= 3 and fragments.kept_bytes() <= 3000
    for n in range(10):
        fragments.put(f"fact-{n}", (n, True))
    assert fragments.count() == 5
    # The most recent stay.
    assert fragments.get("fact-9") == (9, True) and fragments.get("part-0") is None


def test_a_part_is_rendered_again_once_the_person_is_no_longer_a_facilitator(facilitator):
    meeting = MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=3))
    WorkshopFactory(meeting=meeting)
    client = _signed_in(facilitator)
    url = meeting.get_absolute_url()
    assert "Hide" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    facilitator.groups.clear()
    assert "Hide" not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_nothing_is_kept_while_the_shared_cache_does_not_answer(monkeypatch):
    # Redis down: no content version can tell a write, so every part is rendered again.
    monkeypatch.setattr(page_cache.versioning, "_read_shared", lambda keys: None)
    client = _signed_in(UserFactory())
    discussion(title=BEFORE)
    assert BEFORE in client.get("/decisions/").content.decode()
    discussion(title=AFTER)
    assert AFTER in client.get("/decisions/").content.decode()
