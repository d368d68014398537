"""A session's notes and the gathering's minutes, written by two people at once or refused by the
form: nothing is lost. A save based on a stale revision is refused (409) with what the other
person changed, and gives the text back based on the latest revision; a refused form (400) gives
the text back with its reasons. Either way, nothing is written."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from assembly.revisions import StaleNotes, latest_revision_id
from gatherings import services
from gatherings.models import Gathering, Session
from tests.concurrency import needs_postgresql, run_together
from tests.factories import UserFactory
from tests.gatherings.factories import gathering, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("warm_configuration")]

REVISION = re.compile(r'name="revision" value="(\d+)"')


def _session_notes(client, text):
    g = gathering()
    session = place(g, "Atelier semences", notes=text)
    writer = UserFactory()
    services.register_for_session(session, writer)
    client.force_login(writer)
    return SimpleNamespace(
        subject=session,
        page=session.get_absolute_url(),
        url=reverse("gatherings:session-notes", args=[g.slug, session.pk]),
        write=services.write_session_notes,
        read=lambda: Session.objects.get(pk=session.pk).notes,
        done=session.get_absolute_url(),
        stale="Quelqu’un d’autre a enregistré ces notes pendant que vous écriviez.",
    )


def _minutes(client, text):
    organiser = UserFactory()
    g = gathering(organiser=organiser)
    services.write_minutes(g, text)
    client.force_login(organiser)
    url = reverse("gatherings:minutes", args=[g.slug])
    return SimpleNamespace(
        subject=g,
        page=url,
        url=url,
        write=services.write_minutes,
        read=lambda: Gathering.objects.get(pk=g.pk).minutes,
        done=url,
        stale="Quelqu’un d’autre a enregistré ce compte rendu pendant que vous écriviez.",
    )


@pytest.fixture(params=[_session_notes, _minutes], ids=["session notes", "minutes"])
def text(request, client):
    """A text with history, its base written, and the client signed in as someone who may
    write it: a person registered for the session, or an organiser of the gathering."""
    return lambda base: request.param(client, base)


def test_the_form_carries_the_latest_revision(client, text):
    t = text("Accueil à 9 h.")

    page = client.get(t.page).content.decode()

    assert REVISION.findall(page) == [str(latest_revision_id(t.subject))]


def test_a_stale_save_is_refused_and_keeps_both_texts(client, text):
    t = text("Accueil à 9 h.")
    opened = latest_revision_id(t.subject)
    t.write(t.subject, "Accueil à 9 h, café offert.", based_on=opened)
    written = t.subject.history.count()

    response = client.post(t.url, {"notes": "Accueil à 9 h 30.", "revision": opened})

    page = response.content.decode()
    assert response.status_code == 409
    assert (t.read(), t.subject.history.count()) == ("Accueil à 9 h, café offert.", written)
    assert t.stale in page and 'role="alert"' in page
    assert "<ins>" in page and "café" in page
    assert "Accueil à 9 h 30.</textarea>" in page
    assert REVISION.findall(page) == [str(latest_revision_id(t.subject))]


def test_the_save_again_from_the_conflict_page_goes_through(client, text):
    t = text("Accueil à 9 h.")
    opened = latest_revision_id(t.subject)
    t.write(t.subject, "Accueil à 9 h, café offert.", based_on=opened)
    conflict = client.post(t.url, {"notes": "Accueil à 9 h 30.", "revision": opened})
    (latest,) = REVISION.findall(conflict.content.decode())

    response = client.post(t.url, {"notes": "Accueil à 9 h 30, café offert.", "revision": latest})

    assert (response.status_code, response.url) == (302, t.done)
    assert t.read() == "Accueil à 9 h 30, café offert."


def test_a_save_of_the_text_already_saved_meanwhile_is_no_conflict(client, text):
    t = text("Accueil à 9 h.")
    opened = latest_revision_id(t.subject)
    t.write(t.subject, "Accueil à 9 h 30.", based_on=opened)

    response = client.post(t.url, {"notes": "Accueil à 9 h 30.", "revision": opened})

    assert response.status_code == 302
    assert t.read() == "Accueil à 9 h 30."


def test_a_form_without_a_revision_is_not_checked(client, text):
    # A page opened before the forms carried their revision: saved as before (workshops too).
    t = text("Accueil à 9 h.")
    t.write(t.subject, "Accueil à 9 h, café offert.")

    response = client.post(t.url, {"notes": "Accueil à 9 h 30."})

    assert response.status_code == 302
    assert t.read() == "Accueil à 9 h 30."


def test_a_change_to_other_fields_meanwhile_is_no_conflict():
    session = place(gathering(), "Atelier", notes="Base.")
    opened_notes = latest_revision_id(session)
    opened_minutes = latest_revision_id(session.gathering)
    services.update_session(session, title="Atelier renommé")
    services.update_gathering(session.gathering, title="Autre titre")
    assert latest_revision_id(session) != opened_notes  # each save is a history row

    services.write_session_notes(session, "Mine.", based_on=opened_notes)
    services.write_minutes(session.gathering, "Mine.", based_on=opened_minutes)

    session.refresh_from_db()
    session.gathering.refresh_from_db()
    assert (session.notes, session.gathering.minutes) == ("Mine.", "Mine.")


@pytest.mark.parametrize(
    ("sent", "says", "given_back"),
    [
        (
            {"notes": "Accueil\x00 à 10 h."},
            "Le caractère nul n’est pas autorisé.",
            "Accueil à 10 h.",
        ),
        ({"notes": "Accueil à 10 h.", "revision": "x"}, "arrivé abîmé", "Accueil à 10 h."),
        ({"notes": "a" * 100_001}, "100000 caractères", "a" * 100_001),
    ],
    ids=["nul byte", "damaged revision", "too long"],
)
def test_a_refused_form_says_why_and_gives_the_text_back(client, text, sent, says, given_back):
    t = text("Accueil à 9 h.")
    written = t.subject.history.count()

    response = client.post(t.url, sent)

    page = response.content.decode()
    assert response.status_code == 400
    assert (t.read(), t.subject.history.count()) == ("Accueil à 9 h.", written)
    assert says in page and 'role="alert"' in page
    assert f"{given_back}</textarea>" in page and "\x00" not in page
    assert REVISION.findall(page) == [str(latest_revision_id(t.subject))]


@pytest.mark.parametrize(
    "sent",
    [{"notes": "Pris", "revision": "1"}, {"notes": "Pris\x00"}],
    ids=["stale", "refused"],
)
def test_someone_who_may_not_write_is_forbidden_whatever_the_form(client, text, sent):
    t = text("Accueil à 9 h.")
    t.write(t.subject, "Accueil à 9 h, café offert.")
    client.force_login(UserFactory())

    response = client.post(t.url, sent)

    assert (response.status_code, t.read()) == (403, "Accueil à 9 h, café offert.")


def test_a_facilitator_and_an_organiser_still_write_a_sessions_notes(client):
    organiser, facilitator = UserFactory(), UserFactory()
    g = gathering(organiser=organiser)
    session = place(g, "Atelier")
    services.assign_facilitator(session, facilitator)
    url = reverse("gatherings:session-notes", args=[g.slug, session.pk])

    for person, text in [(organiser, "Un."), (facilitator, "Un. Deux.")]:
        client.force_login(person)
        revision = latest_revision_id(session)
        assert client.post(url, {"notes": text, "revision": revision}).status_code == 302

    session.refresh_from_db()
    assert session.notes == "Un. Deux."


def test_a_signed_out_person_is_sent_to_sign_in_before_writing_notes(client):
    g = gathering()
    session = place(g, "Atelier")

    response = client.post(
        reverse("gatherings:session-notes", args=[g.slug, session.pk]), {"notes": "\x00"}
    )

    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("count", [1, 3])
def test_the_minutes_page_for_its_organisers_keeps_a_constant_query_count(
    client, django_assert_num_queries, count
):
    t = _minutes(client, "Version 0")
    for index in range(1, count):
        services.write_minutes(t.subject, f"Version {index}")
    place(t.subject, "Atelier", notes="Semences.")
    client.get(t.page)

    # The gathering with its latest revision, whether the person organises it, the sessions'
    # notes, and what every page asks (the session, the person).
    with django_assert_num_queries(5):
        response = client.get(t.page)

    assert REVISION.findall(response.content.decode()) == [str(latest_revision_id(t.subject))]


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_once_based_on_the_same_revision_write_one_and_refuse_the_other():
    needs_postgresql()
    session = place(gathering(), "Atelier", notes="Base.")
    opened = latest_revision_id(session)
    texts = ("Ana.", "Bob.")

    errors = run_together(
        *(
            lambda text=text: services.write_session_notes(session, text, based_on=opened)
            for text in texts
        )
    )

    session.refresh_from_db()
    written = [text for text, error in zip(texts, errors, strict=True) if error is None]
    stale = [error for error in errors if error is not None]
    assert written == [session.notes]
    assert [type(error) for error in stale] == [StaleNotes]
    assert stale[0].current_text == session.notes


def test_a_gatherings_minutes_are_named_alike_on_every_page(client):
    """In French a gathering's minutes are its « compte rendu » on its menu, its page and its
    conflict page; « procès-verbal » is a decision's."""
    t = _minutes(client, "Accueil à 9 h.")
    opened = latest_revision_id(t.subject)
    t.write(t.subject, "Accueil à 9 h, café offert.", based_on=opened)

    menu = client.get(t.subject.get_absolute_url()).content.decode()
    page = client.get(t.page).content.decode()
    conflict = client.post(t.url, {"notes": "Accueil à 9 h 30.", "revision": opened})
    conflict = conflict.content.decode()

    assert f'href="{t.page}">Compte rendu</a>' in menu
    assert re.search(r"<title>([^<]*)</title>", page)[1].startswith("Compte rendu · ")
    assert re.search(r"<title>([^<]*)</title>", conflict)[1].startswith(
        "Compte rendu modifié entre-temps · "
    )
    assert "ces notes" not in conflict
    assert "Procès-verbal" not in menu + page + conflict
