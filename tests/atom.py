"""Reading our Atom feeds with an independent parser (feedparser), as a feed reader would."""

import feedparser


def read_feed(client, url: str, language: str = "en"):
    """GET a feed and parse it; it must be well-formed Atom (bozo == 0)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]
