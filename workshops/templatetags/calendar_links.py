"""Template tags for iCalendar links (the private feed's address, absolute for calendar apps)."""

from django import template
from django.urls import reverse

from workshops.ical import absolute

register = template.Library()


@register.simple_tag
def private_calendar_url(user) -> str:
    return absolute(reverse("calendar:private", args=[user.calendar_token]))


@register.simple_tag
def absolute_url(name: str, *args) -> str:
    return absolute(reverse(name, args=args))
