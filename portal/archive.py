"""A static archive of the public record (issue 26): the site as an anonymous visitor sees it,
written as files that work from a USB stick (`file://`) or any static host, at any sub-path.

Nothing here lists what is public. The archive starts at the home page and follows links, asking
each page through the whole site (every middleware, the role × URL rules of each view) as a visitor
who is not signed in: what answers 200 is archived; what redirects to sign-in, refuses or is
missing is not, and every link to it becomes plain text. A page whose content is a form to send
(signing in, signing up, subscribing) is a page to act, not to read: it is left out too.

Each archived page is rewritten: links become relative (to `index.html` files, so that `file://`
needs no server), forms, scripts and htmx attributes go (pages work without JavaScript; no CSRF
token is left), the language form becomes links to the same page in the other language, and the
head names the live page as canonical. Only the map keeps its scripts, with vendored Leaflet
reading the commons from a script file that assigns the GeoJSON to a variable (`fetch()` does not
work from `file://`). Static files the pages use are copied beside them.
"""

import hashlib
import json
import multiprocessing
import os
import posixpath
import re
import shutil
import tempfile
import time
import zipfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connections
from django.test import Client
from django.utils import translation
from django.utils.translation import get_language_info
from lxml import etree
from lxml import html as lxml_html

from assembly.page_cache import ARCHIVE_REQUEST

MAP_CONFIG_ID = "commons-map-config"
MAP_DATA_VARIABLE = "assembleeCommonsMap"
# A folder per language other than the site's own, which sits at the root.
STATIC_FOLDER = "static"
LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"))
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
HTML = "text/html"
# What may stand between links on a line of links ("A · B", "A | B").
SEPARATORS = re.compile(r"[\s·|/,–—-]+")
# A page that links to an endless chain of pages (a calendar's "next month") would never end the
# crawl: past this many addresses per language, the archive stops and says where it went.
MAX_ADDRESSES = 100_000


class ArchiveError(Exception):
    """The archive cannot be written, with a message for the person running the command."""


@dataclass
class Page:
    """One address as the anonymous visitor got it."""

    url: str  # path and query string, as requested
    status: int
    content_type: str = ""
    saved: Path | None = None  # the body as it came, in a scratch folder
    location: str = ""  # where a redirect leads
    acts: bool = False  # a page to act (its content is a form that sends)

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith(HTML)

    @property
    def archived(self) -> bool:
        return self.status == 200 and not self.acts


@dataclass
class Report:
    """What `build_archive` wrote, for the command to print and the tests to check."""

    output: Path
    pages: int = 0
    files: int = 0
    static_files: int = 0
    left_out: dict[str, int] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _site():
    parts = urlsplit(settings.SITE_URL)
    return parts.scheme or "http", parts.netloc or "localhost", parts.path.rstrip("/")


def _client(language: str) -> Client:
    scheme, host, _prefix = _site()
    # Secure when the site is (or redirects there): an HTTPS redirect would otherwise be all it gets.
    secure = scheme == "https" or bool(settings.SECURE_SSL_REDIRECT)
    client = Client(HTTP_HOST=host, secure=secure, **{ARCHIVE_REQUEST: "1"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _internal(url: str, base: str) -> str | None:
    """`url` (from a page at `base`) as a path and query on this site, or None when it leads out."""
    if not url or url.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
        return None
    _scheme, host, prefix = _site()
    parts = urlsplit(urljoin(base, url.strip()))
    if parts.scheme not in ("http", "https", "") or (parts.netloc and parts.netloc != host):
        return None
    path = parts.path
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    return path + (f"?{parts.query}" if parts.query else "")


def _is_static(url: str) -> bool:
    return url.startswith(settings.STATIC_URL)


def _query_suffix(query: str) -> str:
    """A file-name-safe form of a query string: `?page=2&category=food` → `--category-food-page-2`."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    text = "-".join(f"{key}-{value}" for key, value in pairs)
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", text)[:80]
    if safe != text:
        safe += "-" + hashlib.sha256(urlencode(pairs).encode()).hexdigest()[:8]
    return "--" + safe


def file_for(url: str, content_type: str) -> str:
    """The archive's file (a POSIX path relative to a language's root) for a path and query."""
    path, _, query = url.partition("?")
    suffix = _query_suffix(query) if query else ""
    path = path.lstrip("/")
    if path == "" or path.endswith("/"):
        extension = ".html" if content_type.startswith(HTML) else ""
        return f"{path}index{suffix}{extension}"
    if content_type.startswith(HTML) and not path.endswith(".html"):
        return f"{path}{suffix}.html"
    if suffix:
        stem, dot, extension = path.rpartition(".")
        return f"{stem}{suffix}.{extension}" if dot and "/" not in extension else f"{path}{suffix}"
    return path


def _relative(target: str, page_file: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(page_file) or ".")


def _acts(tree) -> bool:
    """A page whose main content is a form that sends (sign-in, sign-up, subscribe)."""
    return bool(tree.xpath("//main//form[translate(@method, 'POST', 'post')='post']"))


def _links(tree) -> list[str]:
    found = []
    for tag, attribute in LINK_ATTRIBUTES:
        found += [element.get(attribute) for element in tree.iter(tag) if element.get(attribute)]
    return found


def _parse(body: bytes):
    return lxml_html.document_fromstring(body)


def crawl(language: str, scratch: Path, *, start: str = "/") -> dict[str, Page]:
    """Every address reachable from `start` by links, as an anonymous visitor gets it; bodies are
    kept in `scratch` until they are rewritten."""
    client = _client(language)
    scratch.mkdir(parents=True, exist_ok=True)
    pages: dict[str, Page] = {}
    queue = deque([start])
    queued = {start}
    acting_paths: set[str] = set()
    while queue:
        url = queue.popleft()
        if len(pages) >= MAX_ADDRESSES:
            raise ArchiveError(
                f"More than {MAX_ADDRESSES} addresses to archive; the last ones: "
                + ", ".join(list(pages)[-5:])
            )
        if url.partition("?")[0] in acting_paths:
            # The sign-in page once more, with another `next`: the same form, not fetched again.
            pages[url] = Page(url=url, status=200, content_type=HTML, acts=True)
            continue
        response = client.get(url)
        page = Page(url=url, status=response.status_code)
        pages[url] = page
        if response.status_code in (301, 302, 303, 307, 308):
            target = _internal(response["Location"], url)
            page.location = target or ""
            if target and not _is_static(target) and target not in queued:
                queued.add(target)
                queue.append(target)
            continue
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page.content_type = response.get("Content-Type", "")
        page.saved = scratch / str(len(pages))
        page.saved.write_bytes(body)
        if not page.is_html:
            continue
        tree = _parse(body)
        page.acts = _acts(tree)
        if page.acts:
            acting_paths.add(url.partition("?")[0])
            continue
        for link in _links(tree):
            target = _internal(link, url)
            if target is None or _is_static(target):
                continue
            target = target.partition("#")[0]
            if target not in queued:
                queued.add(target)
                queue.append(target)
    return pages


def _resolved(pages: dict[str, Page], url: str) -> Page | None:
    """The page an address finally shows (following redirects inside the site), or None."""
    for _hop in range(5):
        page = pages.get(url)
        if page is None:
            return None
        if page.archived:
            return page
        if not page.location:
            return None
        url = page.location
    return None


class Archiver:
    """Writes one language's pages under `root`, and the static files under the archive's root."""

    def __init__(self, output: Path, language: str, crawled: dict[str, dict[str, Page]]):
        self.output = output
        self.language = language
        self.languages = list(crawled)
        self.pages = crawled[language]
        self.prefix = self._prefix(language)
        self.static: set[str] = set()
        self.files = self.files_of(self.pages)
        self.other_files = {
            code: self.files_of(pages) for code, pages in crawled.items() if code != language
        }

    def _prefix(self, language: str) -> str:
        return "" if language == self.languages[0] else f"{language}/"

    @staticmethod
    def files_of(pages: dict[str, Page]) -> dict[str, str]:
        return {
            url: file_for(url, page.content_type) for url, page in pages.items() if page.archived
        }

    def path_of(self, url: str) -> str | None:
        """The archive file (relative to this language's root) an internal link leads to."""
        path, hash_mark, fragment = url.partition("#")
        page = _resolved(self.pages, path)
        if page is None:
            return None
        return self.files[page.url] + (f"#{fragment}" if hash_mark else "")

    def static_link(self, url: str, page_file: str) -> str:
        name = urlsplit(url).path[len(settings.STATIC_URL) :]
        self.static.add(name)
        # From this page, up to the archive's root, then into the static folder.
        return _relative(f"{'../' * self.prefix.count('/')}{STATIC_FOLDER}/{name}", page_file)

    def rewrite_link(self, value: str, page: Page, page_file: str) -> str | None:
        """A link as the archive needs it; None when it leads to nothing archived."""
        target = _internal(value, page.url)
        if target is None:
            return value
        if _is_static(target):
            return self.static_link(target, page_file)
        archived = self.path_of(target)
        if archived is None:
            return None
        fragment = urlsplit(value).fragment
        return _relative(archived, page_file) + (f"#{fragment}" if fragment else "")

    def write_all(self) -> int:
        written = 0
        for url, page in self.pages.items():
            if not page.archived:
                continue
            target = self.output / self.prefix / self.files[url]
            target.parent.mkdir(parents=True, exist_ok=True)
            if page.is_html:
                target.write_bytes(self.rewrite_page(page, self.files[url]))
            else:
                shutil.copyfile(page.saved, target)
            written += 1
        return written

    def rewrite_page(self, page: Page, page_file: str) -> bytes:
        tree = _parse(page.saved.read_bytes())
        for form in list(tree.iter("form")):
            if "language-form" in (form.get("class") or ""):
                self._language_links(form, page)
            else:
                form.drop_tree()
        map_config = tree.get_element_by_id(MAP_CONFIG_ID, None)
        for script in list(tree.iter("script")):
            if map_config is None:
                script.drop_tree()
        for element in tree.iter(etree.Element):
            for attribute in [name for name in element.attrib if name.startswith("hx-")]:
                del element.attrib[attribute]
        dropped = []
        for tag, attribute in LINK_ATTRIBUTES:
            for element in list(tree.iter(tag)):
                value = element.get(attribute)
                if value is None or element.get("lang-switch") is not None:
                    continue
                rewritten = self.rewrite_link(value, page, page_file)
                if rewritten is None:
                    dropped.append(element)
                else:
                    element.set(attribute, rewritten)
        self._drop_links(dropped)
        for element in tree.iter(etree.Element):
            element.attrib.pop("lang-switch", None)
        if map_config is not None:
            self._map_data(tree, map_config, page, page_file)
        self._tidy(tree)
        self._canonical(tree, page)
        return lxml_html.tostring(tree, doctype="<!DOCTYPE html>", encoding="utf-8")

    def _drop_links(self, dropped: list) -> None:
        """Links to nothing archived. A paragraph or list item that held only such links (and
        separators) goes with them, like the "Sign up · Log in" lines; elsewhere a link's words
        stay as plain text. A style sheet or script link simply goes."""
        anchors = [element for element in dropped if element.tag == "a"]
        for element in dropped:
            if element.tag != "a":
                element.drop_tree()
        gone = set(anchors)
        for parent in {element.getparent() for element in anchors}:
            if parent is None or parent.tag not in ("p", "li"):
                continue
            if all(child in gone for child in parent) and not SEPARATORS.sub(
                "", (parent.text or "") + "".join(child.tail or "" for child in parent)
            ):
                for child in list(parent):
                    gone.discard(child)
                parent.drop_tree()
        for element in anchors:
            if element in gone:
                element.drop_tag()

    def _tidy(self, tree) -> None:
        # Menus emptied by the links that went (the account menu, for a visitor).
        for tag in ("ul", "nav"):
            for element in list(tree.iter(tag)):
                if len(element) == 0 and not (element.text or "").strip():
                    element.drop_tree()

    def _language_links(self, form, page: Page) -> None:
        """The language form (a POST) becomes links to the same page in each other language."""
        container = lxml_html.Element("p", {"class": "language-form"})
        for code, files in self.other_files.items():
            if page.url not in files:
                continue
            depth = self.prefix.count("/")
            target = f"{'../' * depth}{self._prefix(code)}{files[page.url]}"
            link = lxml_html.Element(
                "a",
                {"href": _relative(target, self.files[page.url]), "lang": code, "hreflang": code},
            )
            link.set("lang-switch", "")
            link.text = get_language_info(code)["name_local"].capitalize()
            container.append(link)
            link.tail = " "
        form.addprevious(container)
        container.tail = form.tail
        form.drop_tree()

    def _canonical(self, tree, page: Page) -> None:
        head = tree.find("head")
        if head is None:
            return
        for old in head.xpath("link[@rel='canonical']"):
            old.drop_tree()
        link = lxml_html.Element(
            "link", {"rel": "canonical", "href": settings.SITE_URL.rstrip("/") + page.url}
        )
        head.append(link)

    def _map_data(self, tree, map_config, page: Page, page_file: str) -> None:
        """The map's GeoJSON, as a script assigning it to a variable, read before the map's script."""
        config = json.loads(map_config.text or "{}")
        data_url = _internal(config.get("dataUrl", ""), page.url)
        if data_url is None:
            return
        response = _client(self.language).get(data_url)
        if response.status_code != 200:
            return
        data = json.loads(response.content)
        for feature in data.get("features", []):
            properties = feature.get("properties") or {}
            if properties.get("url"):
                properties["url"] = self.rewrite_link(properties["url"], page, page_file) or ""
        config["dataUrl"] = ""
        map_config.text = json.dumps(config)
        name = posixpath.basename(page_file).rsplit(".", 1)[0] + ".map-data.js"
        target = self.output / self.prefix / posixpath.dirname(page_file) / name
        target.write_text(
            f"window.{MAP_DATA_VARIABLE} = {json.dumps(data, ensure_ascii=False)};\n",
            encoding="utf-8",
        )
        first = next(iter(tree.iter("script")), None)
        script = lxml_html.Element("script", {"src": name, "defer": ""})
        if first is not None:
            first.addprevious(script)


def _copy_static(names: set[str], output: Path) -> int:
    """Copy the static files the pages use, and those their style sheets use in turn."""
    copied, queue = set(), deque(sorted(names))
    while queue:
        name = queue.popleft()
        if name in copied:
            continue
        copied.add(name)
        collected = Path(settings.STATIC_ROOT) / name
        source = collected if collected.is_file() else finders.find(name)
        if not source:
            raise ArchiveError(f"static file {name} not found")
        target = output / STATIC_FOLDER / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if name.endswith(".css"):
            text = Path(source).read_text(encoding="utf-8", errors="replace")
            for reference in CSS_URL.findall(text):
                if reference.startswith(("data:", "http:", "https:", "#", "/")):
                    continue
                queue.append(
                    posixpath.normpath(
                        posixpath.join(
                            posixpath.dirname(name), reference.split("?")[0].split("#")[0]
                        )
                    )
                )
    return len(copied)


def languages_to_archive() -> list[str]:
    """The site's language first (at the archive's root), then every other enabled one."""
    codes = [code for code, _name in settings.LANGUAGES]
    first = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in codes else codes[0]
    return [first, *[code for code in codes if code != first]]


def build_archive(
    output: Path, *, languages: list[str] | None = None, processes: int = 1
) -> Report:
    """Write the archive into the folder `output` (made if missing, refused if not empty), or into
    a zip file when `output` ends in `.zip`; each language in its own process when `processes` > 1.
    """
    started = time.monotonic()
    output = Path(output)
    if output.suffix == ".zip":
        with tempfile.TemporaryDirectory() as scratch:
            report = build_archive(
                Path(scratch) / "archive", languages=languages, processes=processes
            )
            _zip(report.output, output)
        report.output = output
        report.seconds = time.monotonic() - started
        return report
    if output.exists() and any(output.iterdir()):
        raise ArchiveError(f"{output} is not empty; choose a new folder.")
    output.mkdir(parents=True, exist_ok=True)
    languages = languages or languages_to_archive()
    report = Report(output=output, languages=languages)
    static: set[str] = set()
    # Each page activates its language in this thread: the caller's comes back afterwards.
    with translation.override(translation.get_language()), tempfile.TemporaryDirectory() as scratch:
        crawled = dict(
            zip(
                languages,
                _each(crawl, [(code, Path(scratch) / code) for code in languages], processes),
                strict=True,
            )
        )
        written = _each(_write, [(output, code, crawled) for code in languages], processes)
        for (files, used), pages in zip(written, crawled.values(), strict=True):
            report.files += files
            static |= used
            report.pages += sum(1 for page in pages.values() if page.archived and page.is_html)
            for page in pages.values():
                if not page.archived:
                    reason = "form" if page.acts else str(page.status)
                    report.left_out[reason] = report.left_out.get(reason, 0) + 1
    report.static_files = _copy_static(static, output)
    report.seconds = time.monotonic() - started
    return report


def _write(output: Path, language: str, crawled: dict) -> tuple[int, set[str]]:
    archiver = Archiver(output, language, crawled)
    return archiver.write_all(), archiver.static


def _each(function, arguments: list[tuple], processes: int) -> list:
    """`function(*each)` for each tuple of `arguments`, in up to `processes` forked processes (one
    language each: a machine's cores share the work), in order."""
    if processes <= 1 or len(arguments) <= 1:
        return [function(*each) for each in arguments]
    # Each process opens its own database connections; none is shared across a fork.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = [pool.submit(function, *each) for each in arguments]
        return [future.result() for future in futures]


def _zip(folder: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, os.path.relpath(path, folder))
    partial.replace(target)
