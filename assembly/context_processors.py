"""What every page needs: the assembly's name and city; the active language."""

from django.conf import settings
from django.utils import translation

from .models import CONFIGURATION_ROW, AssemblyConfiguration

# The name the configuration row is kept under (assembly/page_cache/versioning.py).
CACHE_KEY = CONFIGURATION_ROW


def cached_configuration(request=None) -> AssemblyConfiguration:
    # Kept out of every page's query count: read once per version of its table in each process,
    # which this request already read with its own when it did (page cache, kept parts).
    return AssemblyConfiguration.current(versions=getattr(request, "content_versions", None))


def assembly(request):
    return {"assembly": cached_configuration(request)}


def i18n(request):
    """django.template.context_processors.i18n, reading the active language once: Django's asks
    for it three times (get_language_bidi() twice more), each time through the translation's
    context-local storage, some thirty calls on every page. The same values (Django 5.2)."""
    language = translation.get_language()
    return {
        "LANGUAGES": settings.LANGUAGES,
        "LANGUAGE_CODE": language,
        # get_language_bidi(): the language without its region among LANGUAGES_BIDI.
        "LANGUAGE_BIDI": language is not None and language.split("-")[0] in settings.LANGUAGES_BIDI,
    }
