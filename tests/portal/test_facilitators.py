"""Facilitators named from /setup/ and /settings/: by searching people, or by an e-mailed
invitation accepted when the invited address signs in."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from assembly import facilitators
from assembly.models import FacilitatorInvitation, SettingChange, User
from assembly.tasks import send_facilitator_invitation
from tests.factories import PASSWORD, FacilitatorFactory, UserFactory

from .conftest import enqueued

pytestmark = pytest.mark.django_db


def _invite(admin_client, email, django_capture_on_commit_callbacks, url="setup:facilitators"):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(reverse(url), {"action": "invite", "email": email})
    for name, kwargs in enqueued(callbacks):
        assert name == "assembly.send_facilitator_invitation"
        send_facilitator_invitation(**kwargs)
    return response


def test_invite_sends_an_email_and_lists_the_invitation(
    admin_client, django_capture_on_commit_callbacks
):
    response = _invite(admin_client, " Lea@Example.org ", django_capture_on_commit_callbacks)

    page = admin_client.get(reverse("setup:facilitators")).content.decode()
    invitation = FacilitatorInvitation.objects.get()
    assert response.status_code == 302
    assert invitation.email == "lea@example.org"
    assert (invitation.times_sent, invitation.sent_at is not None) == (1, True)
    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    assert "/accounts/signup/" in mail.outbox[0].body
    assert "lea@example.org" in page
    assert SettingChange.objects.get().after == {"invited": "lea@example.org"}


def test_invite_twice_keeps_one_pending_invitation(
    admin_client, django_capture_on_commit_callbacks
):
    _invite(admin_client, "lea@example.org", django_capture_on_commit_callbacks)
    _invite(admin_client, "LEA@example.org", django_capture_on_commit_callbacks)

    assert FacilitatorInvitation.objects.count() == 1
    assert len(mail.outbox) == 2


def test_resend_sends_the_invitation_again(admin_client, django_capture_on_commit_callbacks):
    _invite(admin_client, "lea@example.org", django_capture_on_commit_callbacks)
    invitation = FacilitatorInvitation.objects.get()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(
            reverse("settings:facilitators"), {"action": "resend", "invitation": invitation.pk}
        )
    for _name, kwargs in enqueued(callbacks):
        send_facilitator_invitation(**kwargs)

    invitation.refresh_from_db()
    assert invitation.times_sent == 2
    assert len(mail.outbox) == 2


def test_invite_refuses_a_bad_address_and_writes_nothing(admin_client):
    response = admin_client.post(
        reverse("setup:facilitators"), {"action": "invite", "email": "not an address"}, follow=True
    )

    assert not FacilitatorInvitation.objects.exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]


def test_signing_in_with_the_invited_address_makes_a_facilitator(
    client, admin_client, django_capture_on_commit_callbacks
):
    lea = UserFactory(email="lea@example.org")
    _invite(admin_client, "lea@example.org", django_capture_on_commit_callbacks)
    admin_client.logout()

    client.post(reverse("account_login"), {"login": "lea@example.org", "password": PASSWORD})

    lea = User.objects.get(pk=lea.pk)
    assert lea.is_facilitator
    assert FacilitatorInvitation.objects.get().accepted_by == lea


def test_an_unverified_address_does_not_accept_the_invitation(
    client, admin_client, django_capture_on_commit_callbacks
):
    lea = UserFactory(email="lea@example.org", verified=False)
    EmailAddress.objects.create(user=lea, email=lea.email, primary=True, verified=False)
    _invite(admin_client, "lea@example.org", django_capture_on_commit_callbacks)

    assert facilitators.accept_pending_invitations(lea) == []
    assert not User.objects.get(pk=lea.pk).is_facilitator


def test_signing_in_with_another_address_does_not_accept(
    client, admin_client, django_capture_on_commit_callbacks
):
    other = UserFactory(email="other@example.org")
    _invite(admin_client, "lea@example.org", django_capture_on_commit_callbacks)
    admin_client.logout()

    client.post(reverse("account_login"), {"login": "other@example.org", "password": PASSWORD})

    assert not User.objects.get(pk=other.pk).is_facilitator
    assert FacilitatorInvitation.objects.get().accepted_at is None


def test_withdrawn_invitation_is_never_sent(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(
            reverse("setup:facilitators"), {"action": "invite", "email": "lea@example.org"}
        )
    invitation = FacilitatorInvitation.objects.get()
    admin_client.post(
        reverse("setup:facilitators"), {"action": "cancel", "invitation": invitation.pk}
    )
    for _name, kwargs in enqueued(callbacks):
        send_facilitator_invitation(**kwargs)

    assert not FacilitatorInvitation.objects.exists()
    assert mail.outbox == []


def test_search_finds_people_and_adds_then_removes_a_facilitator(admin_client):
    noe = UserFactory(display_name="Noé Lefèvre")

    found = admin_client.get(reverse("settings:facilitators"), {"q": "noe lefevre"})
    admin_client.post(reverse("settings:facilitators"), {"action": "add", "person": noe.pk})
    added = User.objects.get(pk=noe.pk).is_facilitator
    admin_client.post(reverse("settings:facilitators"), {"action": "remove", "person": noe.pk})

    assert [person.pk for person in found.context["found"]] == [noe.pk]
    assert added is True
    assert User.objects.get(pk=noe.pk).is_facilitator is False
    assert [change.after for change in SettingChange.objects.order_by("id")] == [
        {"facilitator added": f"Noé Lefèvre (#{noe.pk})"},
        {},
    ]


def test_inviting_someone_who_facilitates_already_is_refused(admin_client):
    already = FacilitatorFactory()

    admin_client.post(reverse("setup:facilitators"), {"action": "invite", "email": already.email})

    assert not FacilitatorInvitation.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "99999999999999999999999", "-1"])
def test_odd_ids_are_refused_in_words(admin_client, value):
    response = admin_client.post(
        reverse("settings:facilitators"), {"action": "add", "person": value}, follow=True
    )

    assert response.status_code == 200
    assert not SettingChange.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_facilitators_page_queries_do_not_grow(
    admin_client, django_assert_num_queries, count, django_capture_on_commit_callbacks
):
    for index in range(count):
        FacilitatorFactory()
        FacilitatorInvitation.objects.create(email=f"invited{index}@example.org")
    admin_client.get(reverse("settings:facilitators"))  # the session and the layout, once

    with django_assert_num_queries(7):
        admin_client.get(reverse("settings:facilitators"), {"q": "person"})
