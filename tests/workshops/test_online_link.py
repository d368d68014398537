"""A hybrid meeting's or workshop's online link (visio) is for the people registered only: shown
to those signed up to the workshop (or who run it, and facilitators), to the meeting's hosts and
the people signed up to one of its workshops; never to an anonymous visitor (so never in the page
cache), a signed-in person who is not signed up, another viewer through the board's kept cards,
the public feeds or the fediverse. A link that is no web address is refused, nothing written."""

import json

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assembly import facilitators, fragments, page_cache
from assembly.models import AssemblyConfiguration
from federation import activitypub
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.board_queries import board_queries
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory
from workshops import services
from workshops.models import Meeting, Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("within_one_minute")]

LINK = "https://visio.example.org/salle-42"
MEETING_LINK = "https://visio.example.org/pleniere"
REFUSED_EN = "Only web addresses are accepted: the link must start with https:// or http://."
REFUSED_FR = (
    "Seules les adresses web sont acceptées : le lien doit commencer par https:// ou http://."
)
BAD_LINKS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://visio.example.org/salle",
]


@pytest.fixture(autouse=True)
def configuration():
    # Created by the first page otherwise: a write while that page renders, so it is not kept.
    return AssemblyConfiguration.get()


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def page(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def anonymous_pages(url) -> tuple[str, str]:
    """An anonymous visitor's page, then the next visitor's, which the page cache serves."""
    first = page(Client(), url)
    with CaptureQueriesContext(connection) as queries:
        second = page(Client(), url)
    assert len(queries) == 0, "the second anonymous page came from the page cache"
    return first, second


def hybrid_workshop(**kwargs) -> Workshop:
    return WorkshopFactory(online_link=LINK, **kwargs)


# --- A workshop's link ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["board", "workshop page"])
def test_a_workshops_link_shows_to_a_signed_up_person_and_to_nobody_else(where):
    workshop = hybrid_workshop()
    signed_up, other = UserFactory(), UserFactory()
    SignupFactory(workshop=workshop, person=signed_up)
    url = workshop.meeting.get_absolute_url() if where == "board" else workshop.get_absolute_url()

    # The signed-up person first: whatever their page keeps must not reach the others.
    shown = page(signed_in(signed_up), url)
    not_signed_up = page(signed_in(other), url)
    first_visitor, cached_visitor = anonymous_pages(url)

    assert LINK in shown
    for hidden in (not_signed_up, first_visitor, cached_visitor):
        assert LINK not in hidden
        assert "the link is shown to the people signed up" in hidden


def test_signing_up_shows_the_link_and_withdrawing_hides_it_again():
    workshop = hybrid_workshop()
    person = UserFactory()
    client = signed_in(person)
    url = workshop.meeting.get_absolute_url()
    assert LINK not in page(client, url)

    card = client.post(reverse("workshops:sign-up", args=[workshop.pk]), HTTP_HX_REQUEST="true")
    assert LINK in card.content.decode()
    assert LINK in page(client, url)

    client.post(reverse("workshops:sign-up", args=[workshop.pk]), {"action": "out"})
    assert LINK not in page(client, url)


@pytest.mark.parametrize("who", ["proposer", "co-facilitator", "facilitator"])
def test_a_workshops_link_shows_to_those_who_run_it_and_to_facilitators(who):
    workshop = hybrid_workshop()
    co = UserFactory()
    workshop.facilitators.add(co)
    person = {"proposer": workshop.proposed_by, "co-facilitator": co}.get(who)
    person = person or FacilitatorFactory()

    assert LINK in page(signed_in(person), workshop.meeting.get_absolute_url())
    assert LINK in page(signed_in(person), workshop.get_absolute_url())


def test_a_kept_card_never_shows_the_link_to_another_viewer():
    """The exact leak: the board's cards are kept per viewer class (views/board.py), and the
    signed-up person's copy must never be the one another viewer of the same role gets."""
    meeting = MeetingFactory()
    workshop = hybrid_workshop(meeting=meeting)
    plain = WorkshopFactory(meeting=meeting)
    # Everyone is created first: a write in between would start every kept part anew.
    one, two, other, stranger = UserFactory.create_batch(4)
    for person in (one, two):
        SignupFactory(workshop=workshop, person=person)
    # Signed up elsewhere on the same board: a viewer class of its own, without the link.
    SignupFactory(workshop=plain, person=other)
    url = meeting.get_absolute_url()

    assert LINK in page(signed_in(one), url)
    # Someone signed up to the same workshop shares the first person's kept cards, link and all:
    # only the facts read of them (one memo) are kept anew.
    kept = fragments.count()
    assert LINK in page(signed_in(two), url)
    assert fragments.count() == kept + 1
    # Anyone else has another key: their facts and cards of their own, without the link.
    for person in (other, stranger):
        kept = fragments.count()
        assert LINK not in page(signed_in(person), url)
        assert fragments.count() == kept + 2


@pytest.mark.parametrize(
    ("key_says", "signed_up", "shown"), [(True, False, True), (False, True, False)]
)
@time_machine.travel("2026-11-02 10:00:00+01:00", tick=False)
def test_a_kept_card_shows_the_link_from_its_key_alone(key_says, signed_up, shown):
    """The board keeps its cards under what it read of the person at first (the memo
    "board-person"); a sign-up written later, while the page renders, must not slip the link into
    a card kept under a key that says "not signed up". So the card follows the key, not the rows:
    here the remembered facts and the database disagree on purpose."""
    meeting = MeetingFactory()
    workshop = hybrid_workshop(meeting=meeting)
    person = UserFactory()
    if signed_up:
        SignupFactory(workshop=workshop, person=person)
    client = signed_in(person)
    remembered = frozenset({workshop.pk}) if key_says else frozenset()
    # The version the board keeps this fact under: that of the tables the fact reads.
    version = page_cache.content_version(page_cache.reads.part_tables("memo:board-person"))
    with translation.override("en"):  # the language page() asks for: kept facts are per language
        fact_key = fragments.key(
            "memo:board-person", [meeting.pk, person.pk, False], version=version
        )
    fragments.put(fact_key, (remembered, frozenset(), None, None))

    assert (LINK in page(client, meeting.get_absolute_url())) is shown


@pytest.mark.parametrize("made_facilitator", [True, False])
def test_the_meetings_link_follows_a_change_of_role_on_the_board(made_facilitator):
    """The board keeps what it read of a person (the memo "board-person"), and a facilitator's
    leaves unasked whether they registered. Made or unmade facilitator, the same person, who did
    not register, sees the meeting's link only while they facilitate."""
    meeting = MeetingFactory(online_link=MEETING_LINK)
    WorkshopFactory(meeting=meeting)
    admin = FacilitatorFactory()
    person = UserFactory() if made_facilitator else FacilitatorFactory()
    client = signed_in(person)
    before = MEETING_LINK in page(client, meeting.get_absolute_url())

    if made_facilitator:
        facilitators.add_facilitator(person, by=admin)
    else:
        facilitators.remove_facilitator(person, by=admin)
    after = MEETING_LINK in page(client, meeting.get_absolute_url())

    assert (before, after) == (not made_facilitator, made_facilitator)


# --- A meeting's link ----------------------------------------------------------------------------


def test_a_meetings_link_shows_to_its_hosts_facilitators_and_people_signed_up():
    meeting = MeetingFactory(online_link=MEETING_LINK)
    workshop = WorkshopFactory(meeting=meeting)
    hidden = WorkshopFactory(meeting=meeting, hidden=True)
    host, signed_up, spammer_fan = UserFactory(), UserFactory(), UserFactory()
    meeting.hosts.add(host)
    SignupFactory(workshop=workshop, person=signed_up)
    SignupFactory(workshop=hidden, person=spammer_fan)
    url = meeting.get_absolute_url()
    people_who_see = [host, signed_up, workshop.proposed_by, FacilitatorFactory()]
    people_who_do_not = [UserFactory(), spammer_fan, hidden.proposed_by]

    seen = [MEETING_LINK in page(signed_in(person), url) for person in people_who_see]
    unseen = [MEETING_LINK in page(signed_in(person), url) for person in people_who_do_not]
    first_visitor, cached_visitor = anonymous_pages(url)

    assert seen == [True] * len(people_who_see)
    assert unseen == [False] * len(people_who_do_not)
    for anonymous in (first_visitor, cached_visitor):
        assert MEETING_LINK not in anonymous
        assert "This meeting can also be joined online" in anonymous


def test_a_workshops_link_is_not_the_meetings():
    """Signed up to a hybrid workshop of a hybrid meeting: both links. Signed up to the meeting's
    other workshop: the meeting's only."""
    meeting = MeetingFactory(online_link=MEETING_LINK)
    workshop = hybrid_workshop(meeting=meeting)
    other_workshop = WorkshopFactory(meeting=meeting)
    in_hybrid, in_other = UserFactory(), UserFactory()
    SignupFactory(workshop=workshop, person=in_hybrid)
    SignupFactory(workshop=other_workshop, person=in_other)

    both = page(signed_in(in_hybrid), meeting.get_absolute_url())
    meeting_only = page(signed_in(in_other), meeting.get_absolute_url())

    assert (MEETING_LINK in both, LINK in both) == (True, True)
    assert (MEETING_LINK in meeting_only, LINK in meeting_only) == (True, False)


# --- Never in the public feeds or the fediverse --------------------------------------------------


def test_the_public_feeds_and_the_fediverse_never_carry_a_link():
    meeting = MeetingFactory(online_link=MEETING_LINK)
    workshop = hybrid_workshop(meeting=meeting)
    SignupFactory(workshop=workshop)
    client = Client()
    feeds = [
        client.get("/calendar.ics").content.decode(),
        client.get(reverse("meetings:ics", args=[meeting.pk])).content.decode(),
        client.get("/feeds/agenda.atom").content.decode(),
        json.dumps(activitypub.event_object(meeting)),
    ]

    assert [workshop.title in feed for feed in feeds[:3]] == [True, True, True]
    assert ["visio.example.org" in feed for feed in feeds] == [False] * 4


# --- Editing, and refusing what is no web address ------------------------------------------------


def test_the_hosts_of_a_workshop_and_facilitators_set_the_links():
    workshop = WorkshopFactory()
    meeting = workshop.meeting
    proposer_client, facilitator_client = (
        signed_in(workshop.proposed_by),
        signed_in(FacilitatorFactory()),
    )

    proposer_client.post(
        reverse("workshops:edit", args=[workshop.pk]),
        {"title": workshop.title, "online_link": "visio.example.org/salle-42"},
    )
    facilitator_client.post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "kind": meeting.kind,
            "title": meeting.title,
            "starts_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": timezone.localtime(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "venue": meeting.venue_id,
            "online_link": MEETING_LINK,
        },
    )

    workshop.refresh_from_db()
    meeting.refresh_from_db()
    # Without a scheme, an address is taken as https.
    assert (workshop.online_link, meeting.online_link) == (LINK, MEETING_LINK)


def _forms(meeting, workshop, facilitator):
    local = timezone.localtime
    times = {
        "starts_at": local(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(meeting.ends_at).strftime("%Y-%m-%dT%H:%M"),
    }
    return {
        "workshop proposal": (
            workshop.proposed_by,
            f"{reverse('workshops:propose')}?meeting={meeting.pk}",
            {"title": "Atelier hybride"},
        ),
        "workshop edit": (
            workshop.proposed_by,
            reverse("workshops:edit", args=[workshop.pk]),
            {"title": "Atelier hybride"},
        ),
        "new meeting": (
            facilitator,
            reverse("meetings:new"),
            {"kind": "other", "title": "Réunion hybride", **times},
        ),
        "meeting edit": (
            facilitator,
            reverse("meetings:edit", args=[meeting.pk]),
            {"kind": meeting.kind, "title": "Réunion hybride", **times},
        ),
    }


def _rows():
    return (
        list(Meeting.objects.order_by("pk").values_list("pk", "title", "online_link")),
        list(Workshop.objects.order_by("pk").values_list("pk", "title", "online_link")),
    )


@pytest.mark.parametrize(
    "form", ["workshop proposal", "workshop edit", "new meeting", "meeting edit"]
)
@pytest.mark.parametrize("link", BAD_LINKS)
def test_a_link_that_is_no_web_address_is_refused_with_nothing_written(form, link):
    workshop = WorkshopFactory()
    person, url, data = _forms(workshop.meeting, workshop, FacilitatorFactory())[form]
    client = signed_in(person)
    before = _rows()

    response = client.post(url, {**data, "online_link": link}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    text = response.content.decode()
    assert REFUSED_EN in text
    assert "Enter a valid URL" not in text
    assert _rows() == before


def test_the_refusal_is_said_in_french():
    workshop = WorkshopFactory()
    client = signed_in(workshop.proposed_by)

    response = client.post(
        reverse("workshops:edit", args=[workshop.pk]),
        {"title": workshop.title, "online_link": "javascript:alert(1)"},
    )

    assert REFUSED_FR in response.content.decode()


@pytest.mark.parametrize("link", BAD_LINKS)
def test_the_services_refuse_what_the_forms_refuse(link):
    meeting = MeetingFactory()
    before = _rows()

    with pytest.raises(services.WorkshopError):
        services.propose_workshop(meeting, UserFactory(), title="X", online_link=link)
    with pytest.raises(services.WorkshopError):
        services.update_meeting(meeting, online_link=link)

    assert _rows() == before


# --- Constant query counts -----------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_board_of_a_hybrid_meeting_keeps_a_constant_query_count(
    django_assert_num_queries, count
):
    meeting = MeetingFactory(online_link=MEETING_LINK)
    person = UserFactory()
    for _ in range(count):
        SignupFactory(workshop=hybrid_workshop(meeting=meeting), person=person)
    client = signed_in(person)
    # As test_board_participant_query_count_is_constant, and one query more: whether the person
    # said they come to the meeting, asked only of a hybrid meeting.
    with django_assert_num_queries(board_queries(6, signed_in=True)):
        first = page(client, meeting.get_absolute_url())
    with django_assert_num_queries(2):
        again = page(client, meeting.get_absolute_url())
    for body in (first, again):
        assert (body.count(f'href="{LINK}"'), MEETING_LINK in body) == (count, True)


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_of_a_hybrid_workshop_keeps_a_constant_query_count(
    django_assert_num_queries, count
):
    workshop = hybrid_workshop()
    workshop.facilitators.add(*UserFactory.create_batch(count))
    person = UserFactory()
    SignupFactory(workshop=workshop, person=person)
    client = signed_in(person)
    # The same as test_workshop_detail_query_count_is_constant: the link needs no query.
    with django_assert_num_queries(9):
        body = page(client, workshop.get_absolute_url())
    assert LINK in body
