"""Templates name internal pages with {% url %} and static files with {% static %}: a hard-coded
path breaks as soon as a route moves or the site is served under a prefix."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

# Attributes whose value is a link, a form target or a resource the browser fetches.
LINK_ATTRIBUTE = re.compile(
    r"""\b(href|src|action|formaction|poster|hx-(?:get|post|put|patch|delete)|data-[\w-]*url)"""
    r"""\s*=\s*(?P<quote>["'])(?P<value>.*?)(?P=quote)""",
    re.IGNORECASE | re.DOTALL,
)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)
# A site address glued to a literal path, as e-mails might: {{ site_url }}/meetings/.
GLUED_PATH = re.compile(r"\}\}/[A-Za-z]")


def hard_coded_paths(text: str) -> list[tuple[int, str]]:
    """(line, snippet) of every internal path written out by hand in a template's text."""
    found = []
    for match in LINK_ATTRIBUTE.finditer(text):
        # What a template tag or variable produces is not hand-written; keep only the literal text.
        literal = TEMPLATE_CODE.sub("\0", match["value"]).strip()
        # "/x" or "/" is internal; "//host/x" is another site; "#anchor", "?page=2",
        # "https://…" and "mailto:…" are not paths of ours.
        if re.match(r"/(?!/)", literal) or re.search(r"\0/[A-Za-z]", literal):
            found.append((text.count("\n", 0, match.start()) + 1, match.group(0)))
    for match in GLUED_PATH.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if all(number != line for number, _ in found):
            found.append((line, text.splitlines()[line - 1].strip()))
    return sorted(found)


def our_templates() -> list[Path]:
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if Path(config.path).parent == ROOT  # our apps, not the virtualenv's
    ]
    return sorted(
        path
        for folder in folders
        if folder.is_dir()
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt", ".ics", ".xml"}
    )


def test_templates_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in our_templates()}

    assert "templates/base.html" in names
    assert "templates/assembly/me.html" in names


def test_no_template_hard_codes_an_internal_path():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {snippet}"
        for path in our_templates()
        for line, snippet in hard_coded_paths(path.read_text())
    ]

    assert problems == [], "use {% url %} or {% static %}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "text",
    [
        '<a href="/">home</a>',
        '<a href="/commons/">directory</a>',
        "<form action='/decisions/new/' method=post>",
        '<a href="/commons/{{ item.slug }}/">',
        '<img src="/static/logo.png" alt="">',
        '<button hx-post="/meetings/{{ meeting.pk }}/attendance/tick/">',
        '<a href="{{ site_url }}/charter/">charter</a>',
        '{% blocktranslate %}Read <a href="/charter/">the charter</a>.{% endblocktranslate %}',
        "Open {{ site_url }}/meetings/{{ meeting.pk }}/ to read it.",
    ],
)
def test_a_hand_written_path_is_found(text):
    assert len(hard_coded_paths(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "<a href=\"{% url 'home' %}\">home</a>",
        "<a href=\"{% url 'commons:directory' %}?category={{ category }}\">",
        '<link rel="stylesheet" href="{% static \'css/assemblee.css\' %}">',
        '<a href="#main">skip</a>',
        '<a href="?page=2">next</a>',
        '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
        '<a href="mailto:{{ contact }}">write</a>',
        '<a href="{{ commons.get_absolute_url }}">',
        "<a href=\"{% url 'charter:version' number=2 %}#article-3\">",
        "{{ site_url }}{{ commons.get_absolute_url }}",
        '<a href="{{ url }}">',
    ],
)
def test_a_named_or_external_link_passes(text):
    assert hard_coded_paths(text) == []
