"""Factories for decisions: members, and decisions at each phase of their life."""

import datetime

import factory
from django.utils import timezone

from decisions import services
from decisions.models import Decision
from tests.factories import UserFactory


class MemberFactory(UserFactory):
    """A person who declared membership and stays eligible for a year."""

    membership_declared_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=30)
    )
    eligible_until = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=365)
    )


def discussion(
    author=None,
    *,
    title="Buy a shared cargo bike",
    kind=Decision.Kind.OTHER,  # finance decisions carry a budget proposal (tests/budget)
    proposal="",
    now=None,
) -> Decision:
    return services.open_discussion(
        author=author or UserFactory(),
        title=title,
        kind=kind,
        context="Why we need it.",
        proposal=proposal,
        now=now,
    )


def voting(author=None, *, now=None, **kwargs) -> Decision:
    """A decision whose vote opened at `now` (the roll is the members at that instant)."""
    now = now or timezone.now()
    kwargs.setdefault("proposal", "We buy one cargo bike for 2,000 euros.")
    decision = discussion(author, now=now - datetime.timedelta(days=7), **kwargs)
    return services.open_vote(decision, now=now)
