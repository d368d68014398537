"""`django.utils.html`'s escape() and mark_safe() in two calls where Django's take eight (issue 24).

Both are wrapped by `keep_lazy(SafeString)`, whose wrapper looks for a lazy argument with
`any()` over a generator of `itertools.chain(args, kwargs.values())`: some six calls before the
function itself, at each of the dozens of values a page escapes (`conditional_escape()`, which
every `{{ variable }}` goes through, calls escape()) and each `format_html()`. The functions
below do the same with one `isinstance()`: a lazy argument goes through Django's own function,
which returns a lazy result as before; any other gives what Django's body gives (Django 5.2's
code, copied).

They replace the module-level names (AppConfig.ready) of `django.utils.html`, whose own functions
read them at each call (`conditional_escape`, `format_html`, `format_html_join`, `json_script`…),
of `django.utils.safestring` (for modules imported later), and of the template engine's and the
forms' modules, which imported them when Django started and call them at each render (a
variable's `|safe` value, a form's or widget's HTML). Any other module that imported them earlier
keeps Django's: the same results, slower. tests/assembly/test_escaping.py compares both.
"""

import html

from django.forms import utils as forms_utils
from django.forms import widgets as forms_widgets
from django.template import base as template_base
from django.template import defaultfilters, defaulttags
from django.utils import html as django_html
from django.utils import safestring
from django.utils.functional import Promise
from django.utils.safestring import SafeString

_django_escape = django_html.escape
_django_mark_safe = safestring.mark_safe


def escape(text):
    """django.utils.html.escape."""
    if isinstance(text, Promise):
        return _django_escape(text)
    return SafeString(html.escape(str(text)))


def mark_safe(s):
    """django.utils.safestring.mark_safe."""
    if isinstance(s, Promise):
        return _django_mark_safe(s)
    if hasattr(s, "__html__"):
        return s
    if callable(s):
        # A decorated function: Django's wraps it.
        return _django_mark_safe(s)
    return SafeString(s)


# The modules whose names are replaced, where they are Django's functions.
_MODULES = (
    django_html,
    safestring,
    template_base,
    defaulttags,
    defaultfilters,
    forms_utils,
    forms_widgets,
)


def install() -> None:
    for module in _MODULES:
        if getattr(module, "escape", None) is _django_escape:
            module.escape = escape
        if getattr(module, "mark_safe", None) is _django_mark_safe:
            module.mark_safe = mark_safe
