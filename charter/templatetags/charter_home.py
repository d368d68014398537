"""The charter's sentence on home, written in Python (issue 24).

As a `{% blocktranslate %}` of four variables it cost about 440 Python calls at each first view
(each variable resolved, localised and escaped through the template engine, the message looked
up); here about a hundred, most of them the date's. The HTML is the template's, byte for byte,
escaped as `{% blocktranslate %}` escaped it: the title, the URL, the number and the date
escaped, the message inserted as it is (tests/charter/test_home_sentence.py compares the two).

The section around it (`charter_home_section`) was the template charter/_home.html, included: its
heading and the words saying the charter is not published yet are translated through the
catalogue looked up once, inserted as `{% translate %}` inserted them (tests/charter/
test_home_sentence.py compares it with the template).
"""

from django import template
from django.utils.safestring import mark_safe

from assembly import localised
from assembly.rows import nothing_yet, text

register = template.Library()


@register.simple_tag
def charter_in_force(version, *, messages=None):
    """ "The charter … describes how the assembly works. Version n has been in force since …",
    as charter/_home.html's `{% blocktranslate trimmed with … %}` wrote it."""
    charter = version.charter
    gettext = (messages or localised.messages())[0]
    message = gettext(
        'The <a href="%(url)s">%(title)s</a> describes how the assembly works. Version '
        "%(number)s has been in force since %(date)s; it changes only by a consent vote of the "
        "members."
    )
    # Every value escaped as a variable is (assembly/rows.py), the message inserted as the tag
    # inserted it.
    return mark_safe(
        message
        % {
            "title": text(charter.title),
            "url": text(charter.get_absolute_url()),
            "number": localised.number(version.number),
            # As `created_at|date:"DATE_FORMAT"` (assembly/localised.py).
            "date": localised.dates("DATE_FORMAT")(version.created_at),
        }
    )


_SECTION = (
    '\n<section class="home-charter" aria-labelledby="home-charter-title">'
    '\n  <h2 id="home-charter-title">%s</h2>'
    "\n  %s"
    "\n</section>\n"
)
_IN_FORCE = "\n    <p>\n      %s\n    </p>\n  "


@register.simple_tag
def charter_home_section(version):
    """Home's "How we work": the sentence on `version` (charter.services.current_version()), or
    the words saying the charter is not published here yet, as charter/_home.html wrote them."""
    messages = localised.messages()
    gettext = messages[0]
    if version:
        shown = _IN_FORCE % charter_in_force(version, messages=messages)
    else:
        shown = nothing_yet(gettext("The charter has not been published here yet."))
    # The sentence escaped above, the messages inserted as they are.
    return mark_safe(_SECTION % (gettext("How we work"), shown))
