"""The e-mails the directory sends, rendered in each person's language and sent with send_mail.

commons_registry sits left of workshops in the dependency chain, so it cannot use the delivery log;
each sender is made idempotent by a conditional update in services.py instead (at most once).
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def _send(person, template_prefix: str, context: dict) -> None:
    with translation.override(getattr(person, "language", None) or settings.LANGUAGE_CODE):
        context = {"person": person, "site_url": settings.SITE_URL.rstrip("/"), **context}
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_body.txt", context)
    send_mail(subject, body, None, [person.email])


def send_moderation_result(commons) -> None:
    _send(commons.submitted_by, "commons_registry/email/moderation", {"commons": commons})


def send_confirmation_request(commons, steward) -> None:
    _send(steward, "commons_registry/email/confirmation", {"commons": commons})
