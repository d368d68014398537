"""The template a Python tag replaced, and the tag, rendered alike: the tests that hold a tag to
its template's HTML byte for byte."""

from django.template import Context, Template
from django.utils import translation


def rendered(template, tag, context: dict, language: str) -> tuple[str, str]:
    """`template` then `tag` (each a Template, or its source for a template of its own: each
    `{% translate %}` node keeps its text) rendered with the same context in `language`."""
    with translation.override(language):
        return tuple(
            (Template(each) if isinstance(each, str) else each).render(Context(context))
            for each in (template, tag)
        )
