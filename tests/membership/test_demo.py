"""The demo tells the membership story: member@ is a declared member, newcomer@ needs one more."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from assembly.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_member_is_declared_and_newcomer_needs_one_more_session(client):
    call_command("seed_demo", force=True, stdout=io.StringIO())
    today = timezone.localdate()
    member = User.objects.get(email="member@example.org")
    newcomer = User.objects.get(email="newcomer@example.org")

    assert member.membership_declared_at is not None
    assert member.is_member(today)
    assert member.eligible_until > today
    assert not newcomer.is_eligible(today)
    assert newcomer.membership_declared_at is None

    client.force_login(member)
    member_page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(newcomer)
    newcomer_page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "You are a member until" in member_page
    assert "1 more session needed" in newcomer_page
