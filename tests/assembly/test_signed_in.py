"""assembly/signed_in.py: the signed-in person is read by a prepared query, under the backend
path each session already holds; an inactive or deleted person is signed out as before. The
same query says whether they are a facilitator."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse

from assembly import facilitators, signed_in
from assembly.models import User
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_backend_reads_the_person_through_the_prepared_query():
    assert ModelBackend.get_user is signed_in.get_user
    person = UserFactory()
    assert ModelBackend().get_user(person.pk) == person
    assert ModelBackend().get_user(person.pk + 1000) is None


def test_a_signed_in_person_sees_their_page_and_an_inactive_one_is_signed_out():
    person = UserFactory()
    client = _signed_in(person)
    assert client.get(reverse("me")).status_code == 200

    person.is_active = False
    person.save()
    page = client.get(reverse("me"))
    assert page.status_code == 302 and reverse("account_login") in page["Location"]


def test_a_deleted_person_is_signed_out():
    person = UserFactory()
    client = _signed_in(person)
    person.delete()
    page = client.get(reverse("me"))
    assert page.status_code == 302 and reverse("account_login") in page["Location"]


def test_a_changed_password_signs_out_the_other_sessions():
    person = UserFactory()
    client = _signed_in(person)
    person.set_password("un autre mot de passe")
    person.save()
    page = client.get(reverse("me"))
    assert page.status_code == 302 and reverse("account_login") in page["Location"]


def _requested_by(person):
    """The person as a request loads them, the page asked for."""
    response = _signed_in(person).get(reverse("me"))
    assert response.status_code == 200
    return response.wsgi_request.user


def test_the_person_of_a_request_knows_whether_they_facilitate_without_a_query(
    django_assert_num_queries,
):
    facilitator, member = FacilitatorFactory(), UserFactory()
    admin = UserFactory(is_superuser=True)
    requested = [_requested_by(facilitator), _requested_by(member), _requested_by(admin)]
    with django_assert_num_queries(0):
        assert [person.is_facilitator for person in requested] == [True, False, True]


def test_a_change_to_the_group_is_seen_at_the_next_request(django_assert_num_queries):
    member, admin = UserFactory(), UserFactory(is_superuser=True)
    facilitators.add_facilitator(member, by=admin)
    added = _requested_by(member)
    facilitators.remove_facilitator(member, by=admin)
    removed = _requested_by(member)
    with django_assert_num_queries(0):
        assert (added.is_facilitator, removed.is_facilitator) == (True, False)


def test_another_person_is_asked_as_before(django_assert_num_queries):
    facilitator = FacilitatorFactory()
    read = User.objects.get(pk=facilitator.pk)
    with django_assert_num_queries(1):
        assert read.is_facilitator and read.is_facilitator


@pytest.mark.django_db(transaction=True)
def test_a_new_facilitator_sees_their_controls_at_once():
    # Committed, as on a running site: the board's parts kept for the member are renewed by the
    # write to the group, not by a transaction of the test's own (assembly/page_cache).
    meeting = MeetingFactory()
    member, admin = UserFactory(), UserFactory(is_superuser=True)
    client = _signed_in(member)
    edit = f'href="/meetings/{meeting.pk}/edit/"'

    def board() -> str:
        return client.get(meeting.get_absolute_url()).content.decode()

    assert edit not in board() and edit not in board()
    facilitators.add_facilitator(member, by=admin)
    assert edit in board()
    facilitators.remove_facilitator(member, by=admin)
    assert edit not in board()
