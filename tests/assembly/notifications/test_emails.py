"""The one renderer: every e-mail in its reader's language, with the site's address at hand."""

import pytest

from assembly.notifications import render_email
from tests.commons_registry.factories import CommonsFactory
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("en", 'Is the entry "Fablab" still up to date?'),
        ("fr", "La fiche « Fablab » est-elle toujours à jour ?"),
        ("", "La fiche « Fablab » est-elle toujours à jour ?"),  # none chosen: French, the default
    ],
)
def test_render_email_in_the_person_language(settings, language, subject):

    settings.SITE_URL = "https://assemblee.example.org/"
    person = UserFactory(language=language)
    commons = CommonsFactory(name="Fablab")

    message = render_email(person, "commons_registry/email/confirmation", {"commons": commons})

    assert (message.subject, message.to) == (subject, [person.email])
    assert f"https://assemblee.example.org{commons.get_absolute_url()}" in message.body


@pytest.mark.django_db
def test_render_email_attaches_files(person):
    message = render_email(
        person,
        "assembly/email/claim",
        {"user": person, "claim_url": "https://example.org/claim"},
        attachments=[("assemblee.ics", "BEGIN:VCALENDAR", "text/calendar")],
    )
    assert "https://example.org/claim" in message.body
    assert message.attachments[0][:2] == ("assemblee.ics", "BEGIN:VCALENDAR")
