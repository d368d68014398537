"""`{% translate "literal" %}` keeps its text per language in each process (issue 24).

Django's node turns its literal into a lazy translation, forces it, localises and escapes it at
every render: about seventy Python calls for a word of the page, and a page holds dozens. What
it gives depends only on the node's literal (and message context), the catalogues (the code),
the language and whether the template escapes; so each node keeps its text per language and
escaping, forgotten when a setting changes (tests change languages and catalogues), as
assembly/fixed_text.py keeps a run of such nodes (`keeping`). A node with anything else (a
variable, a filter, `as`, a context that is not a literal) renders as before.
"""

from django.templatetags.i18n import TranslateNode

from .fixed_text import keeping

_render = TranslateNode.render


def install() -> None:
    TranslateNode.render = keeping(_render, urls=False)
