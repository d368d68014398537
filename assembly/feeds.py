"""What every Atom feed of the assembly shares: its name, its dates in the assembly's time zone,
and entries whose text is escaped or sanitised Markdown.

Each app writes its own feed (workshops/feeds.py, decisions/feeds.py, commons_registry/feeds.py)
as a list of `FeedEntry`; config/urls.py routes them under /feeds/.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from .context_processors import cached_configuration

# A feed reader asks often; a bounded feed keeps each answer small and its query count constant.
FEED_LENGTH = 50


@dataclass(frozen=True)
class FeedEntry:
    """One event a follower should hear of. `link` may carry a #fragment: with the publication
    date it makes the entry's Atom id (a tag URI), so each event keeps its own id for ever."""

    title: str
    link: str
    published: datetime.datetime
    updated: datetime.datetime
    summary: str = ""  # HTML: escaped text or sanitised Markdown
    categories: tuple[str, ...] = field(default_factory=tuple)


def plain(text: str) -> str:
    """Plain text for an HTML summary: what people wrote must never become markup."""
    return str(escape(text))


def newest(entries, limit: int = FEED_LENGTH) -> list[FeedEntry]:
    return sorted(entries, key=lambda entry: (entry.updated, entry.link), reverse=True)[:limit]


class AssemblyFeed(Feed):
    feed_type = Atom1Feed
    # What the feed is about, after the assembly's name; the page it mirrors.
    topic = ""
    page_url = "/"

    def entries(self) -> list[FeedEntry]:
        raise NotImplementedError

    def items(self):
        return newest(self.entries())

    def title(self):
        return f"{cached_configuration().name} · {self.topic}"

    def author_name(self):
        return cached_configuration().name

    def link(self):
        return self.page_url

    def item_title(self, item: FeedEntry):
        return item.title

    def item_link(self, item: FeedEntry):
        return item.link

    def item_guid(self, item: FeedEntry):
        # None: Django's Atom writer then builds a tag URI from the link and the publication date.
        return None

    def item_description(self, item: FeedEntry):
        return item.summary

    def item_pubdate(self, item: FeedEntry):
        return timezone.localtime(item.published)

    def item_updateddate(self, item: FeedEntry):
        return timezone.localtime(item.updated)

    def item_categories(self, item: FeedEntry):
        return item.categories
