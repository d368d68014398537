"""`get_language()` and `gettext()` read without asgiref's lock (issue 24).

Django keeps the active translation in an `asgiref.local.Local` (trans_real._active), and every
`get_language()` reads it through that object's `__getattr__`: a re-entrant lock taken and
released, the storage's own `__getattr__` and `_storage()`, the context variable, the thread's
id: some twelve calls, and a page asks for the language twenty to sixty times (the kept parts'
keys, `{% url %}`, dates, the i18n context processor), and translates a few dozen messages in
Python (`gettext()` reads the same storage).

`get_language` and `gettext` below read the same storage as asgiref does (asgiref 3.13, `_DefaultLocal` and
`_CVar`: a context variable holding a `_Storage` tagged with the thread that owns it), without
the lock: a reader needs none, since every write replaces the storage whole (copy on write) and
a context variable is read in the current thread's own context. Anything else (another asgiref,
a storage of another shape) goes through Django's own function, as before; `install()` replaces
Django's only when the active translation's storage has the expected shape.
tests/assembly/test_active_language.py compares both, in threads and async tasks too.
"""

import threading
from contextvars import ContextVar

from asgiref import local as asgiref_local
from django.conf import settings
from django.utils import translation
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import trans_real

_django_get_language = trans_real.get_language
_django_gettext = trans_real.gettext
_get_ident = threading.get_ident
_DefaultLocal = getattr(asgiref_local, "_DefaultLocal", None)
_CVar = getattr(asgiref_local, "_CVar", None)
_Storage = getattr(asgiref_local, "_Storage", None)


def _supported(active) -> bool:
    """The storage this module reads: asgiref 3.13's."""
    if _DefaultLocal is None or _CVar is None or _Storage is None:
        return False
    cvar = active.__dict__.get("_storage") if type(active) is _DefaultLocal else None
    return (
        type(cvar) is _CVar
        and isinstance(cvar.__dict__.get("_data"), ContextVar)
        and set(_Storage.__slots__) == {"thread_id", "data"}
    )


def get_language():
    """django.utils.translation.trans_real.get_language (Django 5.2)."""
    active = trans_real._active
    if active.__class__ is not _DefaultLocal:
        # The settings' signal gave another Local (tests), of a shape not read here.
        return _django_get_language()
    # As asgiref's _CVar._storage(): no storage, or another thread's, reads as empty.
    storage = active.__dict__["_storage"]._data.get(None)
    if storage is not None and storage.thread_id == _get_ident():
        t = storage.data.get("value")
        if t is not None:
            try:
                return t.to_language()
            except AttributeError:
                pass
    # If we don't have a real translation object, assume it's the default language.
    return settings.LANGUAGE_CODE


def gettext(message):
    """django.utils.translation.trans_real.gettext (Django 5.2)."""
    eol_message = message.replace("\r\n", "\n").replace("\r", "\n")

    if eol_message:
        default = trans_real._default
        if not default:
            default = trans_real._default = trans_real.translation(settings.LANGUAGE_CODE)
        active = trans_real._active
        if active.__class__ is not _DefaultLocal:
            translation_object = getattr(active, "value", default)
        else:
            # getattr(active, "value", default), as get_language() reads it.
            translation_object = default
            storage = active.__dict__["_storage"]._data.get(None)
            if storage is not None and storage.thread_id == _get_ident():
                translation_object = storage.data.get("value", default)

        result = translation_object.gettext(eol_message)
    else:
        # Return an empty value of the corresponding type if an empty message
        # is given, instead of metadata, which is the default gettext behavior.
        result = type(message)("")

    if isinstance(message, SafeData):
        return mark_safe(result)

    return result


def install() -> None:
    if not settings.USE_I18N or not _supported(trans_real._active):
        return
    trans_real.get_language = get_language
    trans_real.gettext = gettext
    # django.utils.translation keeps the functions it first asked trans_real for.
    for name, function in (("get_language", get_language), ("gettext", gettext)):
        if name in translation._trans.__dict__:
            setattr(translation._trans, name, function)
