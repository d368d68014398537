"""For lists whose rows are written in Python rather than looped over in a template (issue 24).

A row of a template loop pays the template engine for each tag, and Django again for what is the
same on every row of a page: a URL reversed whole for each key, a message or a label translated
again, a date format looked up again. A renderer written with these asks once per list.
"""

import re

from django.utils.html import escape

# Far from any real primary key: where the key goes in a reversed URL.
_MARK = 987654321


def url_by_pk(model):
    """A function giving the escaped `get_absolute_url()` of a `model` row from its primary
    key: the URL reversed once, through the model's own method, the key put in its place."""
    row = model.__new__(model)  # not __init__, which sets every field: the key is all it reads
    row.pk = _MARK
    before, _, after = row.get_absolute_url().rpartition(str(_MARK))
    before, after = escape(before), escape(after)
    return lambda pk: f"{before}{pk:d}{after}"


# What Django's `slug` path converter accepts: such a slug goes into a URL as it is.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_SLUG_MARK = f"slug-{_MARK}"


def url_by_slug(model):
    """A function giving the escaped `get_absolute_url()` of a `model` row from the row: the URL
    reversed once, through the model's own method, the row's slug put in its place (a slug
    Django would not take as it is is left to the method)."""
    row = model.__new__(model)  # as in url_by_pk
    row.slug = _SLUG_MARK
    before, _, after = row.get_absolute_url().rpartition(_SLUG_MARK)
    before, after = escape(before), escape(after)

    def url(found) -> str:
        if _SLUG.fullmatch(found.slug):
            return f"{before}{found.slug}{after}"
        return escape(found.get_absolute_url())

    return url
