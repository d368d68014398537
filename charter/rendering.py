"""A charter version as a page: its Markdown rendered safely, headings demoted under the page's
own title, and a table of contents from Markdown's toc extension (the anchors it gives headings)."""

import html as html_lib
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from assembly.markdown import render_markdown_with_toc

CACHE_SECONDS = 24 * 3600
HEADING = re.compile(r"<(/?)h([1-6])([ >])")
# The table of contents goes down to the page's h5: deeper headings are details, not sections.
TOC_DEEPEST_LEVEL = 5


@dataclass
class TocEntry:
    level: int
    anchor: str
    title: str
    children: list["TocEntry"] = field(default_factory=list)


def demote_headings(html: str) -> str:
    """The page has its own h1: the charter's headings go one level down (h6 stays h6)."""
    if "<h1" not in html:
        return html
    return HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}{m[3]}", html)


def _entries(tokens: list[dict], shift: int) -> list[TocEntry]:
    return [
        TocEntry(
            level=token["level"] + shift,
            anchor=token["id"],
            title=html_lib.unescape(token["name"]),
            children=_entries(token["children"], shift),
        )
        for token in tokens
        if token["level"] + shift <= TOC_DEEPEST_LEVEL
    ]


def render_with_toc(text: str) -> tuple[SafeString, list[TocEntry]]:
    """The page's HTML (headings demoted) and its nested table of contents, at the page's levels."""
    html, tokens = render_markdown_with_toc(text)
    shift = 1 if "<h1" in html else 0
    # demote_headings only renames tags of HTML that nh3 has already sanitised.
    return mark_safe(demote_headings(str(html))), _entries(tokens, shift)


def render_text(text: str) -> SafeString:
    return render_with_toc(text)[0]


def render_version(version) -> tuple[SafeString, list[TocEntry]]:
    """HTML and table of contents of a version; cached for good, since a version never changes."""
    key = f"charter:version-page:v2:{version.pk}"
    page = cache.get(key)
    if page is None:
        html, toc = render_with_toc(version.text)
        page = (str(html), toc)
        cache.set(key, page, CACHE_SECONDS)
    html, toc = page
    return mark_safe(html), toc
