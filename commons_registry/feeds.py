"""The directory as an Atom feed (/feeds/commons.atom): the newly published commons.
Proposals waiting for a facilitator and rejected entries never appear."""

from django.db.models.functions import Coalesce
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from assembly.feeds import FEED_LENGTH, AssemblyFeed, FeedEntry
from assembly.markdown import render_markdown

from .models import Commons


def commons_entry(commons: Commons) -> FeedEntry:
    return FeedEntry(
        title=commons.name,
        link=commons.get_absolute_url(),
        published=commons.published_at,
        updated=commons.updated_at,
        summary=str(
            format_html("<p>{}</p>{}", commons.summary, render_markdown(commons.description))
        ),
        categories=(commons.category.name,),
    )


class CommonsFeed(AssemblyFeed):
    topic = gettext_lazy("Commons")
    page_url = "/commons/"

    def entries(self):
        commons = (
            Commons.objects.published()
            .select_related("category")
            .annotate(published_at=Coalesce("moderated_at", "created_at"))
            .order_by("-published_at", "-pk")[:FEED_LENGTH]
        )
        return [commons_entry(entry) for entry in commons]
