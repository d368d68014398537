"""Factories for the charter: the default document, versions, amendments opened as decisions."""

import datetime

import time_machine
from django.utils import timezone

from charter import services
from charter.models import Charter, CharterVersion
from decisions import services as decision_services
from tests.factories import UserFactory

START = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)

TEXT = """## 1. Se réunir

Nous nous réunissons chaque mois, à un rythme connu de toutes et tous.

## 2. Les ateliers

Tout le monde peut proposer un atelier.

## 3. Être membre

Deux participations dans l'année suffisent pour se déclarer membre.
"""


def default_charter() -> Charter:
    return services.ensure_default_charter()


def add_version(charter=None, *, text=None, decision=None, note="", now=None) -> CharterVersion:
    """The next version of a charter, written directly (as the import and the effect do)."""
    charter = charter or default_charter()
    last = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
    number = last.number + 1 if last else 1
    return CharterVersion.objects.create(
        charter=charter,
        number=number,
        text=text if text is not None else TEXT + f"\nVersion {number}.\n",
        created_at=now or timezone.now() - datetime.timedelta(days=100 - number),
        decision=decision,
        note=note,
    )


def amendment(base, *, text, author=None, title="Changer la charte", now=None):
    return services.propose_amendment(
        author=author or UserFactory(),
        base_version=base,
        title=title,
        summary="Un changement de la charte.",
        proposed_text=text,
        rationale="Parce que c'est mieux ainsi.",
        now=now,
    )


def adopt(decision, *, voters, start=START, choice="consent", reason=""):
    """Run a decision opened at `start` through its vote: the voters vote, the vote closes."""
    vote_opens = start + datetime.timedelta(days=decision.discussion_days)
    vote_closes = vote_opens + datetime.timedelta(days=decision.vote_days)
    with time_machine.travel(vote_opens, tick=False):
        decision_services.open_vote(decision, now=vote_opens)
        for voter in voters:
            decision_services.cast_vote(decision, voter=voter, choice=choice, reason=reason)
    with time_machine.travel(vote_closes, tick=False):
        return decision_services.close_vote(decision, now=vote_closes)
