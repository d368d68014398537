"""The one way an e-mail to a person is written: in their own language, from two templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def render_email(person, template_prefix: str, context: dict, attachments=()):
    """Render <prefix>_subject.txt and <prefix>_body.txt in the person's own language.

    The templates see `person` and `site_url` (SITE_URL without its trailing slash) besides the
    context given. `attachments` are (filename, content, mimetype) triples.
    """
    with translation.override(getattr(person, "language", None) or settings.LANGUAGE_CODE):
        context = {"person": person, "site_url": settings.SITE_URL.rstrip("/"), **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_body.txt", context)
    message = EmailMultiAlternatives(subject, body, to=[person.email])
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message
