"""assembly/signed_in.py: the signed-in person is read by a prepared query, under the backend
path each session already holds; an inactive or deleted person is signed out as before."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.test import Client
from django.urls import reverse

from assembly import signed_in
from tests.factories import UserFactory

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
