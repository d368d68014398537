"""`manage.py import subscribers FILE`: a mailing list's export (CSV or one address per line)
becomes subscribers, unsubscribed and bounced addresses the do-not-mail list, which nothing
overrides later; and nothing reaches the imported subscribers before the one-time notice, sent
once per address by an explicit action."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

from assembly import follow_ups, imports, personal_data
from assembly.models import DoNotMail, Subscriber, SubscriberDelivery
from assembly.notifications import subscriptions
from config.celery import app as celery_app
from portal import announcement
from tests.factories import UserFactory
from tests.membership.factories import paris
from tests.unsubscribe import one_click
from tests.workshops.factories import MeetingFactory

pytestmark = pytest.mark.django_db

NOW = paris(2026, 12, 4, 10)
LIST = (
    "Email Address,Nom,Statut\n"
    "info.jardins@example.org,Les Jardins,subscribed\n"
    "voisine.curieuse@example.org,,\n"
    "parti@example.org,,unsubscribed\n"
    "rebond@example.org,,bounced\n"
)


@pytest.fixture(autouse=True)
def _english_at_a_fixed_day():
    with translation.override("en"), time_machine.travel(NOW, tick=False):
        yield


def upload(text: str, *, encoding="utf-8", name="liste-info.csv"):
    return [imports.Upload(name, text.encode(encoding))]


def run_command(path, *args):
    out = io.StringIO()
    try:
        call_command("import", "subscribers", str(path), *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def imported(text=LIST, **kwargs):
    return imports.apply(imports.plan("subscribers", upload(text, **kwargs)), None)


@pytest.mark.parametrize(
    ("text", "encoding", "name"),
    [
        (LIST, "utf-8", "liste.csv"),
        ("\ufeff" + LIST.replace(",", ";"), "utf-8", "liste.csv"),
        (LIST.replace(",", ";").replace("Nom", "Prénom et nom"), "cp1252", "liste.csv"),
    ],
)
def test_every_way_a_list_program_exports_reads_alike(text, encoding, name):
    plan = imports.plan(
        "subscribers", upload(text, encoding=encoding, name=name), {"Prénom et nom": "name"}
    )

    assert plan.summary_line == "created=4 updated=0 unchanged=0 skipped=0 errors=0"
    assert [row.data.status for row in plan.rows] == ["active", "active", "unsubscribed", "bounced"]


def test_one_address_per_line_is_read_without_a_header():
    plan = imports.plan(
        "subscribers",
        upload(
            "info.jardins@example.org\n\n# exported from Framalistes\n"
            "Voisine Curieuse <Voisine.Curieuse@example.org>\n",
            name="abonnes.txt",
        ),
    )

    assert plan.summary_line == "created=2 updated=0 unchanged=0 skipped=0 errors=0"
    assert [(row.line, row.data.email, row.data.name) for row in plan.rows] == [
        (1, "info.jardins@example.org", ""),
        (4, "voisine.curieuse@example.org", "Voisine Curieuse"),
    ]


def test_the_command_imports_then_the_same_file_again_creates_nothing(tmp_path, mailoutbox):
    path = tmp_path / "liste-info.csv"
    path.write_text(LIST, encoding="utf-8")

    first, error = run_command(path)
    assert error is None
    second, error = run_command(path)

    assert error is None
    assert first.splitlines()[-1] == "created=4 updated=0 unchanged=0 skipped=0 errors=0"
    assert "# 2 subscribers added (nothing reaches them before the notice)" in first
    assert "# 2 addresses added to the do-not-mail list" in first
    assert second.splitlines()[-1] == "created=0 updated=0 unchanged=4 skipped=0 errors=0"
    subscriber = Subscriber.objects.get(email="info.jardins@example.org")
    assert (subscriber.source, subscriber.source_name, subscriber.name) == (
        Subscriber.Source.IMPORT,
        "liste-info.csv",
        "Les Jardins",
    )
    assert subscriber.created_at == NOW
    assert sorted(DoNotMail.objects.values_list("email", "reason")) == [
        ("parti@example.org", "unsubscribed"),
        ("rebond@example.org", "bounced"),
    ]
    assert mailoutbox == []


def test_refusals_by_line_write_nothing(tmp_path):
    path = tmp_path / "liste-info.csv"
    path.write_text(
        "email,status\nok@example.org,\nnot an address,\nok2@example.org,maybe\n,\n",
        encoding="utf-8",
    )

    out, error = run_command(path)

    assert error is not None
    lines = out.splitlines()
    assert lines[-1] == "created=1 updated=0 unchanged=0 skipped=0 errors=2"
    assert lines[1].startswith("3: error") and "not a valid e-mail" in lines[1]
    assert lines[2].startswith("4: error") and "not a status" in lines[2]
    assert not Subscriber.objects.exists()


def test_no_later_import_nor_subscription_overrides_the_do_not_mail_list(
    client, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    Subscriber.objects.create(email="parti@example.org", confirmed_at=NOW)
    imported()  # parti@ unsubscribed on the former list: their subscription here goes too

    again = imports.plan("subscribers", upload("email\nparti@example.org\nrebond@example.org\n"))
    with django_capture_on_commit_callbacks(execute=True):
        blocked = client.post("/subscribe/", {"email": "rebond@example.org", "language": "en"})
        fresh = client.post("/subscribe/", {"email": "nouveau@example.org", "language": "en"})

    assert not Subscriber.objects.filter(email="parti@example.org").exists()
    assert [row.outcome for row in again.rows] == ["skip", "skip"]
    assert again.rows[0].reason == "On the do-not-mail list: never written to again."

    def page(response):
        # The same answer for a blocked address as for any other: the list is not revealed.
        return re.sub(r'"[A-Za-z0-9]{64}"', "", response.content.decode())

    assert page(blocked) == page(fresh)
    assert [message.to for message in mailoutbox] == [["nouveau@example.org"]]
    assert not Subscriber.objects.filter(email="rebond@example.org").exists()


def test_nothing_reaches_imported_subscribers_before_the_notice(mailoutbox):
    imported()
    meeting = MeetingFactory(starts_at=NOW + datetime.timedelta(days=10))
    Subscriber.objects.create(email="confirmed@example.org", confirmed_at=NOW)

    announcement.send_announcement(meeting, now=NOW)

    assert [message.to for message in mailoutbox] == [["confirmed@example.org"]]
    assert list(Subscriber.objects.receiving().values_list("email", flat=True)) == [
        "confirmed@example.org"
    ]


def test_the_notice_goes_once_per_address_then_the_announcement_follows(mailoutbox):
    batch = imported()
    assert follow_ups.subscribers_owed_notice(batch).count() == 2

    first = follow_ups.send_notice(batch, now=NOW)
    second = follow_ups.send_notice(batch, now=NOW)

    assert first == {"sent": 2, "already": 0, "failed": 0}
    assert second == {"sent": 0, "already": 0, "failed": 0}
    notices = {message.to[0]: message for message in mailoutbox}
    assert sorted(notices) == ["info.jardins@example.org", "voisine.curieuse@example.org"]
    notice = notices["info.jardins@example.org"]
    # In the assembly's language: the former list said nothing of its people's languages.
    assert notice.subject == "Pourquoi vous recevez des e-mails de Assemblée des Communs"
    assert notice.body.startswith("Bonjour Les Jardins,")
    for words in ("Qui nous sommes", "liste-info.csv", "Ce que nous gardons", "CNIL"):
        assert words in notice.body
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert SubscriberDelivery.objects.filter(kind="import-notice", state="sent").count() == 2

    mailoutbox.clear()
    meeting = MeetingFactory(starts_at=NOW + datetime.timedelta(days=10))
    announcement.send_announcement(meeting, now=NOW)

    assert sorted(message.to[0] for message in mailoutbox) == sorted(notices)
    assert "liste de diffusion que l'assemblée tenait avant" in mailoutbox[0].body


def test_one_click_unsubscribe_from_the_notice_keeps_the_address_from_coming_back(
    client, mailoutbox
):
    batch = imported()
    follow_ups.send_notice(batch, now=NOW)
    notice = next(m for m in mailoutbox if m.to == ["voisine.curieuse@example.org"])

    response, _url = one_click(client, notice)
    again = imports.plan("subscribers", upload(LIST))

    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="voisine.curieuse@example.org").exists()
    assert again.rows[1].outcome == "skip"
    # They may still come back themselves, confirming it.
    assert subscriptions.subscribe("voisine.curieuse@example.org", "fr") is not None


def test_an_address_with_an_account_is_left_to_its_own_choices():
    UserFactory(email="voisine.curieuse@example.org")

    plan = imports.plan("subscribers", upload(LIST))

    assert plan.rows[1].outcome == "skip"
    assert "Has an account" in plan.rows[1].reason


def test_a_person_sees_in_their_export_that_their_address_is_not_written_to():
    person = UserFactory(email="rebond@example.org")
    other = UserFactory()
    imported()

    sections = personal_data.export(person)["sections"]

    assert sections["do_not_mail"]["reason"] == "bounced"
    assert personal_data.export(other)["sections"]["do_not_mail"] is None
