"""Safe Markdown against a corpus of XSS payloads: nothing executable ever reaches a page."""

import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from assembly import markdown
from assembly.markdown import render_markdown, render_markdown_with_toc

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">para</p>',
    '<a href="http://ok.example" onmouseover="alert(1)">hover</a>',
    "<form action=javascript:alert(1)><button>go</button></form>",
    '<input autofocus onfocus="alert(1)">',
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<<script>alert(1)//<</script>",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">ent</a>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src="x" alt="unclosed',
    "<b><i>unclosed <a href='https://ok.example'>link",
    "<!-- <script>alert(1)</script> -->",
    '<details open ontoggle="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<base href='https://evil.example/'>",
]
SAFE_TAGS = {
    "a",
    "p",
    "b",
    "i",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "del",
    "ins",
}


class ElementCollector(HTMLParser):
    """What a browser would build from the HTML: its elements and their attributes."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_harmless(html: str):
    parser = ElementCollector()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag in SAFE_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in {"href", "src"}:
                assert re.match(r"^(https?:|mailto:|/|#)", value or ""), html


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_markdown_neutralises_xss_payload(payload):
    html = render_markdown(payload)

    assert_harmless(html)


def test_markdown_renders_formatting_and_safe_links():
    html = render_markdown("# Titre\n\n**gras** et [lien](https://communs.example/)")

    assert '<h1 id="titre">Titre</h1>' in html
    assert "<strong>gras</strong>" in html
    assert '<a href="https://communs.example/" rel="nofollow ugc noopener">lien</a>' in html


def test_markdown_keeps_text_of_stripped_tags_escaped():
    html = render_markdown("1 < 2 & <unknown>text</unknown>")

    assert "1 &lt; 2 &amp;" in html
    assert "<unknown>" not in html


def test_markdown_of_nothing_is_empty():
    assert render_markdown(None) == ""
    assert render_markdown("") == ""


def test_markdown_template_filter_is_available_everywhere():
    rendered = Template("{{ text|markdown }}").render(Context({"text": "*ok* <script>x</script>"}))

    assert "<em>ok</em>" in rendered
    assert "<script>" not in rendered


def test_render_markdown_carries_nothing_from_one_text_to_the_next():
    first = render_markdown(
        "# Notes\n\nThe AMAP[^1] met.\n\n*[AMAP]: Association pour le maintien d'une agriculture "
        "paysanne\n\n[^1]: Since 2008."
    )
    second = render_markdown("# Notes\n\nThe AMAP met again.")

    assert 'id="notes"' in first
    assert "Since 2008." in first
    assert "<abbr" in first
    assert str(second) == '<h1 id="notes">Notes</h1>\n<p>The AMAP met again.</p>'


def test_render_markdown_gives_the_same_html_every_time():
    text = "## Décisions\n\n- un\n- deux\n\n| a | b |\n| - | - |\n| 1 | 2 |"

    assert render_markdown(text) == render_markdown(text)


def test_rendered_text_is_kept_under_the_hash_of_its_source_and_the_renderer_version():
    text = "# Cached\n\nOnce *rendered*, kept."
    first = render_markdown(text)
    key = markdown._digest(text)

    assert markdown._cache[key][0] == first
    assert render_markdown(text) == first
    assert text not in str(list(markdown._cache))  # digests, not the source texts
    assert markdown._digest(text) != markdown._digest(text + " ")


def test_rendered_text_cache_keeps_only_the_most_recent(monkeypatch):
    monkeypatch.setattr(markdown, "CACHED_TEXTS", 2)
    monkeypatch.setattr(markdown, "_cache", type(markdown._cache)())
    for text in ("one", "two", "three"):
        render_markdown(text)

    assert list(markdown._cache) == [markdown._digest("two"), markdown._digest("three")]


def test_each_caller_gets_its_own_table_of_contents():
    text = "# Title\n\n## Section"
    _html, toc = render_markdown_with_toc(text)
    toc[0]["children"].clear()

    _html, again = render_markdown_with_toc(text)

    assert again[0]["children"][0]["name"] == "Section"
