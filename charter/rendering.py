"""A charter version as a page: its Markdown rendered safely, headings demoted under the page's
own title, and a table of contents built from those headings on the server."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from assembly.markdown import render_markdown

CACHE_SECONDS = 24 * 3600
HEADING = re.compile(r"<(/?)h([1-6])([ >])")


@dataclass
class TocEntry:
    level: int
    anchor: str
    title: str
    children: list["TocEntry"] = field(default_factory=list)


class _HeadingCollector(HTMLParser):
    """Collects (level, id, text) of the h2 to h5 that carry an id (the toc extension sets them)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str, str]] = []
        self._current: list | None = None

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[2-5]", tag):
            anchor = dict(attrs).get("id")
            if anchor:
                self._current = [int(tag[1]), anchor, ""]

    def handle_endtag(self, tag):
        if self._current is not None and re.fullmatch(r"h[2-5]", tag):
            level, anchor, text = self._current
            self.headings.append((level, anchor, " ".join(text.split())))
            self._current = None

    def handle_data(self, data):
        if self._current is not None:
            self._current[2] += data


def demote_headings(html: str) -> str:
    """The page has its own h1: the charter's headings go one level down (h6 stays h6)."""
    if "<h1" not in html:
        return html
    return HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 1, 6)}{m[3]}", html)


def table_of_contents(html: str) -> list[TocEntry]:
    """Nested entries for the headings of rendered (already demoted) HTML."""
    collector = _HeadingCollector()
    collector.feed(html)
    root = TocEntry(level=1, anchor="", title="")
    stack = [root]
    for level, anchor, title in collector.headings:
        entry = TocEntry(level=level, anchor=anchor, title=title)
        while len(stack) > 1 and stack[-1].level >= level:
            stack.pop()
        stack[-1].children.append(entry)
        stack.append(entry)
    return root.children


def render_text(text: str) -> SafeString:
    # demote_headings only renames tags of HTML that nh3 has already sanitised.
    return mark_safe(demote_headings(str(render_markdown(text))))


def render_version(version) -> tuple[SafeString, list[TocEntry]]:
    """HTML and table of contents of a version; cached for good, since a version never changes."""
    key = f"charter:version-html:v1:{version.pk}"
    html = cache.get(key)
    if html is None:
        html = str(render_text(version.text))
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html), table_of_contents(html)
