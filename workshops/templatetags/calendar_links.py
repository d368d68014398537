"""Template tags for iCalendar links (the private feed's address, absolute for calendar apps)."""

import html

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from assembly.rows import url_by_name_and_slug
from workshops.ical import absolute

register = template.Library()


@register.simple_tag
def private_calendar_url(user) -> str:
    return absolute(reverse("calendar:private", args=[user.calendar_token]))


@register.simple_tag
def absolute_url(name: str, *args) -> str:
    return absolute(reverse(name, args=args))


# /me/'s calendar section, as its template wrote it (tests/workshops/test_me_calendar.py compares
# the two): written in Python, with its messages and the renewing form's URL joined once per
# language (and URL prefix and configuration, all they depend on besides the code), it costs some
# fifty calls instead of 370 (issue 24).
_ME_CALENDAR = (
    '<section class="me-calendar" aria-labelledby="me-calendar-title">'
    '\n  <h2 id="me-calendar-title">%s</h2>'
    "\n  <p>%s</p>"
    "\n  "
    '\n  <p><label for="private-calendar-url">%s</label>'
    '\n    <input type="text" id="private-calendar-url" value="'
)
_ME_CALENDAR_FORM = (
    '" readonly></p>'
    '\n  <form method="post" action="%s" class="inline-form" data-confirm="%s">'
    "\n    "
)
_ME_CALENDAR_END = (
    '\n    <button type="submit" class="secondary">%s</button>\n  </form>\n</section>\n'
)
# The texts kept at most: languages × URL prefixes × URL configurations, a few.
MAX_KEPT = 64

_kept: dict[tuple, tuple[str, str, str]] = {}


def _forget(**kwargs) -> None:
    """A setting changed (tests: languages, ROOT_URLCONF…): join them again."""
    _kept.clear()


setting_changed.connect(_forget, dispatch_uid="workshops-me-calendar")


def _me_calendar_texts() -> tuple[str, str, str]:
    """The section's text before the address, between the address and the CSRF token, after
    the token. The messages are the catalogue's, inserted as the template inserted them."""
    key = (get_language(), get_script_prefix(), get_urlconf())
    texts = _kept.get(key)
    if texts is None:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        texts = _kept[key] = (
            _ME_CALENDAR
            % (
                gettext("My calendar"),
                gettext(
                    "Subscribe to this private address in your calendar app to see the meetings "
                    "you host, signed up for or attended. Keep it to yourself; renew it if it "
                    "leaked."
                ),
                gettext("Private calendar address"),
            ),
            _ME_CALENDAR_FORM
            % (
                html.escape(reverse("calendar:revoke")),
                gettext("The old address will stop working. Renew it?"),
            ),
            _ME_CALENDAR_END % gettext("Renew the private address"),
        )
    return texts


@register.simple_tag(takes_context=True)
def me_calendar(context):
    """The person's (`user`) private calendar address, and the form that renews it."""
    before, between, after = _me_calendar_texts()
    path = url_by_name_and_slug("calendar:private")(context["user"].calendar_token)
    # absolute(): the site's address before the path (escaped as the template escaped both).
    feed_url = html.escape(settings.SITE_URL.rstrip("/")) + path
    return mark_safe(f"{before}{feed_url}{between}{CsrfTokenNode().render(context)}{after}")
