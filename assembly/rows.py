"""For lists whose rows are written in Python rather than looped over in a template (issue 24).

A row of a template loop pays the template engine for each tag, and Django again for what is the
same on every row of a page: a URL reversed whole for each key, a message or a label translated
again, a date format looked up again. A renderer written with these asks once per list.
"""

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
