"""Home's own template (templates/assembly/home.html) against the parts it stands for."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

FEED_LINKS = (
    "workshops/_feed_link.html",
    "decisions/_feed_link.html",
    "commons_registry/_feed_link.html",
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_home_head_holds_the_three_feed_links_as_their_templates_write_them(client, language):
    """Home writes the feeds' links itself (one part of fixed text, not three includes): the same
    bytes as the three templates the other pages include, in each language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/").content.decode()
    with translation.override(language):
        expected = "".join(render_to_string(name) for name in FEED_LINKS)
    head = html[: html.index("</head>")]
    assert expected in head
    assert head.count('rel="alternate"') == 3
