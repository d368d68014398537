"""assembly/blocktranslate.py: a {% blocktranslate %} node keeps its message, not its translation."""

from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    "{% load i18n %}{% blocktranslate trimmed count counter=n %}\n  {{ counter }} more session needed"
    "{% plural %}{{ counter }} more sessions needed\n{% endblocktranslate %}"
)


def test_a_kept_message_is_translated_in_each_renders_language_with_its_own_count():
    with translation.override("en"):
        one = TEMPLATE.render(Context({"n": 1}))
        three = TEMPLATE.render(Context({"n": 3}))
    with translation.override("fr"):
        french = TEMPLATE.render(Context({"n": 3}))

    assert (one, three) == ("1 more session needed", "3 more sessions needed")
    assert french == "Encore 3 séances nécessaires"
