"""What the charter holds about a person: the amendments they proposed, the conflicts they
resolved; deleting them keeps every version of the text."""

import datetime
import json

import pytest
import time_machine

from assembly import personal_data
from assembly.people import delete_account
from charter import services
from charter.models import Amendment, CharterVersion
from tests.charter.factories import START, TEXT, add_version, adopt, amendment
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db

MEETINGS = TEXT.replace("chaque mois", "le dernier jeudi de chaque mois")
MEETINGS_WEEKLY = TEXT.replace("chaque mois", "chaque semaine")


def exported(person) -> dict:
    return json.loads(json.dumps(personal_data.export(person), default=str))["sections"]


def conflicting_pair(member):
    """Two amendments drafted from the same version, both adopted: the second one conflicts."""
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        first = amendment(base, text=MEETINGS, title="Le dernier jeudi")
        second = amendment(base, text=MEETINGS_WEEKLY, title="Chaque semaine")
    adopt(first.decision, voters=[member])
    adopt(second.decision, voters=[member], start=START + datetime.timedelta(hours=1))
    second.refresh_from_db()
    return first, second


def test_export_lists_the_amendments_i_proposed_with_their_text():
    author = UserFactory()
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        amendment(base, text=MEETINGS, author=author, title="Le dernier jeudi")
        amendment(base, text=MEETINGS_WEEKLY, title="Pas de moi")

    amendments = exported(author)["charter_amendments"]

    assert [(a["title"], a["drafted_from_version"], a["status"]) for a in amendments] == [
        ("Le dernier jeudi", base.number, "pending")
    ]
    assert amendments[0]["proposed_text"] == MEETINGS
    assert amendments[0]["rationale"] == "Parce que c'est mieux ainsi."


def test_export_lists_the_conflicts_i_resolved(member):
    facilitator = FacilitatorFactory()
    _first, second = conflicting_pair(member)
    version = services.resolve_conflict(second, by=facilitator, text="Texte fusionné.")

    resolved = exported(facilitator)["charter_conflicts_resolved"]

    assert resolved == [{"title": "Chaque semaine", "resulting_version": version.number}]


def test_deleting_an_author_or_resolver_keeps_every_amendment_and_version(member):
    facilitator = FacilitatorFactory()
    first, second = conflicting_pair(member)
    services.resolve_conflict(second, by=facilitator, text="Texte fusionné.")
    versions = list(CharterVersion.objects.values_list("number", "text"))

    personal_data.delete_person(first.decision.author, delete_account)
    personal_data.delete_person(facilitator, delete_account)

    assert list(CharterVersion.objects.values_list("number", "text")) == versions
    assert Amendment.objects.count() == 2
    second.refresh_from_db()
    assert (second.status, second.resolved_by) == (Amendment.Status.RESOLVED, None)
