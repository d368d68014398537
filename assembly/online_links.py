"""The online link (visio) of a hybrid meeting, workshop or gathering session: a web address and
nothing else. Shared by every app that offers one, so that the same addresses are accepted and
refused everywhere, with the same words.

A link is shown as `<a href>` to the people registered: `javascript:` or `data:` would run in
their browser, and `ftp:`, `mailto:` or an app's own scheme are no room anyone can join. Django's
URLField alone accepts ftp and ftps, and refuses the rest with "Enter a valid URL", which does not
say what to change.
"""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http", "https")


def validate_web_link(value: str) -> None:
    """Refuse any address whose scheme is not http or https."""
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in WEB_SCHEMES:
        raise ValidationError(
            _("Only web addresses are accepted: the link must start with https:// or http://."),
            code="scheme",
        )


class OnlineLinkModelField(models.URLField):
    """A URLField whose forms (the admin's too) are OnlineLinkField: https assumed, one clear
    refusal. Its migrations name the plain URLField, which it is in the database."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": OnlineLinkField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.URLField", args, kwargs


def online_link_model_field(help_text) -> models.URLField:
    """The models' field: optional, and a web address when given (the admin checks it too)."""
    return OnlineLinkModelField(
        _("online link (visio)"), blank=True, validators=[validate_web_link], help_text=help_text
    )


class OnlineLinkField(forms.URLField):
    """An optional web address; an address without a scheme is taken as https (example.org)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Online link (visio)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def validate(self, value):
        # Before URLField's own validator, so that a refused scheme gets this one clear message
        # rather than "Enter a valid URL" beside it.
        super().validate(value)
        if value:
            validate_web_link(value)
