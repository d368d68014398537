"""Rich links and structured data in a page's head: OpenGraph, Twitter cards and JSON-LD.

Everything comes from what the page already holds (the cached configuration, the request, the
objects its view loaded), so that no page pays a query for it.
"""

import functools
import html
import json

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

register = template.Library()

LOCALES = {"fr": "fr_FR", "en": "en_GB"}
# As django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# Written once (issue 24): django.utils.html.format_html escapes through lazy wrappers, some
# hundred calls a page for the same seven values; each value is escaped below as it would.
_TAGS = (
    '<meta name="description" content="{description}">\n'
    '  <meta property="og:type" content="website">\n'
    '  <meta property="og:site_name" content="{site}">\n'
    '  <meta property="og:title" content="{title}">\n'
    '  <meta property="og:description" content="{description}">\n'
    '  <meta property="og:url" content="{url}">\n'
    '  <meta property="og:image" content="{image}">\n'
    '  <meta property="og:image:type" content="image/png">\n'
    '  <meta property="og:image:width" content="1200">\n'
    '  <meta property="og:image:height" content="630">\n'
    '  <meta property="og:image:alt" content="{site}">\n'
    '  <meta property="og:locale" content="{locale}">\n'
    '  <meta name="twitter:card" content="summary_large_image">\n'
    '  <meta name="twitter:title" content="{title}">\n'
    '  <meta name="twitter:description" content="{description}">\n'
    '  <meta name="twitter:image" content="{image}">'
)  # fmt: skip


def _escaped(value) -> str:
    """django.utils.html.conditional_escape: text already safe (or lazy and safe) as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@functools.cache
def _image_path() -> str:
    # The static files' URL of the image: the same until the settings change (tests).
    return static("og-image.png")


@receiver(setting_changed)
def _forget_image_path(**kwargs):
    _image_path.cache_clear()


@register.simple_tag(takes_context=True)
def social_meta(context, title="", description=""):
    """OpenGraph and Twitter-card tags: title, description, an absolute PNG image, URL, locale."""
    request = context.get("request")
    assembly = context.get("assembly")
    site = getattr(assembly, "name", "") or "Assemblée"
    title = title or site
    description = description or getattr(assembly, "tagline", "") or site
    if request is None:
        return ""
    image = request.build_absolute_uri(_image_path())
    url = request.build_absolute_uri(request.path)
    locale = LOCALES.get(context.get("LANGUAGE_CODE") or "fr", "fr_FR")
    values = {
        "description": description,
        "site": site,
        "title": title,
        "url": url,
        "image": image,
        "locale": locale,
    }
    return mark_safe(_TAGS.format(**{name: _escaped(value) for name, value in values.items()}))


@register.filter
def jsonld(data):
    """A JSON-LD data block (never executed, so the CSP does not concern it)."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
