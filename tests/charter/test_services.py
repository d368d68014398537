import datetime

import pytest
import time_machine
from django.utils import translation

from charter import services
from charter.models import Amendment, Charter, CharterVersion
from decisions import services as decision_services
from decisions.models import Decision
from tests.charter.factories import START, TEXT, add_version, adopt, amendment, default_charter
from tests.decisions.factories import discussion
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db

MEETINGS = TEXT.replace("chaque mois", "le dernier jeudi de chaque mois")
WORKSHOPS = TEXT.replace(
    "Tout le monde peut proposer un atelier.",
    "Tout le monde peut proposer un atelier, sans demander la permission.",
)
MEMBERSHIP = TEXT.replace("Deux participations", "Trois participations")
MEETINGS_WEEKLY = TEXT.replace("chaque mois", "chaque semaine")


def test_current_version_is_the_newest_of_the_default_charter():
    add_version()
    newest = add_version()

    assert services.current_version() == newest


def test_current_version_of_another_charter():
    add_version(text="Charte principale.\n")
    garden = Charter.objects.create(title="Charte du jardin", slug="jardin")
    garden_version = add_version(garden, text="Arrosage.\n")

    assert services.current_version(garden) == garden_version
    assert services.current_version().text == "Charte principale.\n"


def test_current_version_is_none_without_versions():
    default_charter()

    assert services.current_version() is None


def test_import_charter_creates_version_one():
    charter = default_charter()

    version = services.import_charter(charter, text="# Charte\r\n\r\nTexte.  ")

    assert (version.number, version.text, version.decision) == (1, "# Charte\n\nTexte.\n", None)


def test_import_charter_refuses_a_charter_that_has_versions():
    version = add_version()

    with pytest.raises(services.CharterError):
        services.import_charter(version.charter, text="Autre texte")

    assert CharterVersion.objects.count() == 1


def test_propose_amendment_opens_a_charter_change_decision():
    base = add_version(text=TEXT)
    author = UserFactory()

    with translation.override("en"):
        proposed = amendment(base, text=MEETINGS, author=author, title="Le rythme")

    decision = proposed.decision
    assert (decision.kind, decision.title, decision.author, decision.phase) == (
        Decision.Kind.CHARTER_CHANGE,
        "Le rythme",
        author,
        Decision.Phase.DISCUSSION,
    )
    assert decision.proposal == (
        "Un changement de la charte.\n\nWhy:\n\nParce que c'est mieux ainsi."
    )
    assert (proposed.base_version, proposed.proposed_text, proposed.status) == (
        base,
        MEETINGS,
        Amendment.Status.PENDING,
    )


def test_propose_amendment_refuses_an_unchanged_text():
    base = add_version(text=TEXT)

    with pytest.raises(services.CharterError):
        amendment(base, text=TEXT.replace("\n", "\r\n"))

    assert Decision.objects.count() == 0


def test_adopted_amendment_becomes_the_next_version(member):
    base = add_version(text=TEXT, now=START - datetime.timedelta(days=30))
    with time_machine.travel(START, tick=False):
        proposed = amendment(base, text=MEETINGS)
        decision_services.publish_proposal(
            proposed.decision,
            by=proposed.decision.author,
            text="Se réunir le dernier jeudi du mois.",
        )

    decision = adopt(proposed.decision, voters=[member])

    assert decision.outcome == Decision.Outcome.ADOPTED
    version = services.current_version()
    assert (version.number, version.text, version.decision) == (2, MEETINGS, decision)
    assert version.created_at == decision.closed_at
    proposed.refresh_from_db()
    assert (proposed.status, proposed.resulting_version) == (Amendment.Status.APPLIED, version)


def test_amendment_not_adopted_creates_no_version(member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        proposed = amendment(base, text=MEETINGS)

    decision = adopt(
        proposed.decision, voters=[member], choice="object", reason="Le jeudi ne convient pas."
    )

    assert decision.outcome == Decision.Outcome.NOT_ADOPTED
    assert services.current_version() == base
    proposed.refresh_from_db()
    assert proposed.status == Amendment.Status.PENDING


def test_concurrent_amendment_that_applies_cleanly_is_merged(member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        first = amendment(base, text=MEETINGS, title="Le rythme")
        second = amendment(base, text=MEMBERSHIP, title="Trois participations")
    adopt(first.decision, voters=[member])

    decision = adopt(second.decision, voters=[member], start=START + datetime.timedelta(hours=1))

    version = services.current_version()
    assert version.number == 3
    assert version.text == TEXT.replace("chaque mois", "le dernier jeudi de chaque mois").replace(
        "Deux participations", "Trois participations"
    )
    assert version.decision == decision
    second.refresh_from_db()
    assert (second.status, second.resulting_version) == (Amendment.Status.MERGED, version)


def test_concurrent_amendment_that_overlaps_is_kept_as_a_conflict(member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        first = amendment(base, text=MEETINGS)
        second = amendment(base, text=MEETINGS_WEEKLY)
    adopt(first.decision, voters=[member])

    with translation.override("en"):
        decision = adopt(
            second.decision, voters=[member], start=START + datetime.timedelta(hours=1)
        )

    assert decision.outcome == Decision.Outcome.ADOPTED
    decision.refresh_from_db()
    assert decision.outcome_statement.startswith(
        "Adopted — conflict: version 2 of the charter was adopted after this amendment was "
        "drafted from version 1"
    )
    assert CharterVersion.objects.count() == 2
    second.refresh_from_db()
    assert (second.status, second.resulting_version, second.proposed_text) == (
        Amendment.Status.CONFLICT,
        None,
        MEETINGS_WEEKLY,
    )


def test_resolve_conflict_writes_the_next_version_linked_to_the_decision(member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        first = amendment(base, text=MEETINGS)
        second = amendment(base, text=MEETINGS_WEEKLY)
    adopt(first.decision, voters=[member])
    adopt(second.decision, voters=[member], start=START + datetime.timedelta(hours=1))
    second.refresh_from_db()
    facilitator = FacilitatorFactory()

    version = services.resolve_conflict(second, by=facilitator, text="Texte fusionné.\r\n")

    assert (version.number, version.text, version.decision) == (
        3,
        "Texte fusionné.\n",
        second.decision,
    )
    second.refresh_from_db()
    assert (second.status, second.resulting_version, second.resolved_by) == (
        Amendment.Status.RESOLVED,
        version,
        facilitator,
    )


def test_resolve_conflict_refused_to_a_participant_and_twice(member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        first = amendment(base, text=MEETINGS)
        second = amendment(base, text=MEETINGS_WEEKLY)
    adopt(first.decision, voters=[member])
    adopt(second.decision, voters=[member], start=START + datetime.timedelta(hours=1))
    second.refresh_from_db()

    with pytest.raises(services.CharterError):
        services.resolve_conflict(second, by=UserFactory(), text="Texte.")
    services.resolve_conflict(second, by=FacilitatorFactory(), text="Texte.")
    with pytest.raises(services.CharterError):
        services.resolve_conflict(second, by=FacilitatorFactory(), text="Encore.")

    assert CharterVersion.objects.count() == 3


def test_effect_runs_once_even_if_called_again(member):
    base = add_version(text=TEXT)
    with time_machine.travel(START, tick=False):
        proposed = amendment(base, text=MEETINGS)
    decision = adopt(proposed.decision, voters=[member])

    services.apply_adopted_amendment(decision, decision.closed_at)

    assert CharterVersion.objects.count() == 2


def test_charter_change_without_amendment_changes_nothing(member):
    add_version(text=TEXT)

    with time_machine.travel(START, tick=False):
        decision = decision_services.open_discussion(
            author=UserFactory(),
            title="Parler de la charte",
            kind="charter",
            proposal="Relire la charte ensemble.",
        )

    decision = adopt(decision, voters=[member])

    assert decision.outcome == Decision.Outcome.ADOPTED
    assert CharterVersion.objects.count() == 1


@pytest.mark.usefixtures("within_one_minute")
def test_current_version_comes_from_the_cache_once_read(django_assert_num_queries):
    newest = add_version()
    services.current_version()

    with django_assert_num_queries(0):
        cached = services.current_version()

    assert cached == newest
    assert cached.charter.title == newest.charter.title


def test_a_new_version_is_the_current_one_at_once_even_after_a_stale_read(
    django_capture_on_commit_callbacks,
):
    first = add_version()
    assert services.current_version() == first

    with django_capture_on_commit_callbacks(execute=True):
        second = add_version()

    assert services.current_version() == second


def test_a_bulk_rename_of_the_charter_shows_in_the_current_version():
    add_version()
    services.current_version()

    Charter.objects.filter(pk=default_charter().pk).update(title="Charte renommée")

    assert services.current_version().charter.title == "Charte renommée"


def test_an_edit_of_the_adopting_decision_shows_in_the_current_version():
    decision = discussion(kind=Decision.Kind.CHARTER_CHANGE, proposal="Relire la charte ensemble.")
    add_version(decision=decision)
    assert services.current_version().decision.title == decision.title

    Decision.objects.filter(pk=decision.pk).update(title="Un titre corrigé")

    assert services.current_version().decision.title == "Un titre corrigé"


def test_renaming_the_charter_shows_in_the_current_version():
    add_version()
    services.current_version()
    charter = default_charter()

    charter.title = "Charte des pratiques communes"
    charter.save()

    assert services.current_version().charter.title == "Charte des pratiques communes"


@pytest.mark.usefixtures("within_one_minute")
def test_no_version_is_cached_too_until_the_first_one(django_assert_num_queries):
    default_charter()
    assert services.current_version() is None
    with django_assert_num_queries(0):
        assert services.current_version() is None

    version = add_version()

    assert services.current_version() == version
