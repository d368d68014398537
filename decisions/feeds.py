"""Decisions as an Atom feed (/feeds/decisions.atom): one entry per event a follower wants to
hear of: a discussion opened, its vote opened, its outcome. Each event keeps its own id."""

from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assembly.feeds import FEED_LENGTH, AssemblyFeed, FeedEntry, newest
from assembly.markdown import render_markdown

from .models import Decision
from .services import format_moment


def decision_entries(decision: Decision) -> list[FeedEntry]:
    """The events of one decision so far, each linking to the part of its page it concerns."""
    url = decision.get_absolute_url()
    kind = str(decision.get_kind_display())
    entries = [
        FeedEntry(
            title=_("Discussion opened: %(title)s") % {"title": decision.title},
            link=f"{url}#discussion",
            published=decision.created_at,
            updated=decision.created_at,
            summary=str(render_markdown(decision.context)),
            categories=(kind,),
        )
    ]
    if decision.vote_opens_at:
        summary = format_html(
            "<p>{}</p>{}",
            _("The vote is open to the members on its roll until %(end)s.")
            % {"end": format_moment(decision.vote_closes_at)},
            render_markdown(decision.proposal),
        )
        entries.append(
            FeedEntry(
                title=_("Vote opened: %(title)s") % {"title": decision.title},
                link=f"{url}#vote",
                published=decision.vote_opens_at,
                updated=decision.vote_opens_at,
                summary=str(summary),
                categories=(kind,),
            )
        )
    if decision.closed_at and decision.outcome:
        entries.append(
            FeedEntry(
                title=_("%(outcome)s: %(title)s")
                % {"outcome": decision.get_outcome_display().capitalize(), "title": decision.title},
                link=f"{url}#outcome-title",
                published=decision.closed_at,
                updated=decision.closed_at,
                summary=str(_outcome_summary(decision)),
                categories=(kind,),
            )
        )
    return entries


def _outcome_summary(decision: Decision):
    statement = render_markdown(decision.outcome_statement)
    if decision.vote_count is None:
        return statement
    counts = _(
        "%(consent)s consent, %(abstain)s abstain, %(object)s object; turnout %(turnout)s %% "
        "of a roll of %(roll)s."
    ) % {
        "consent": decision.consent_count,
        "abstain": decision.abstain_count,
        "object": decision.objection_count,
        "turnout": decision.turnout_percent,
        "roll": decision.roll_size,
    }
    return format_html("<p>{}</p>{}", counts, statement)


class DecisionsFeed(AssemblyFeed):
    topic = gettext_lazy("Decisions")
    page_url = "/decisions/"

    def entries(self):
        # The newest events all belong to the decisions whose latest event is newest: one query.
        latest_event = Greatest(
            F("created_at"),
            Coalesce("vote_opens_at", "created_at"),
            Coalesce("closed_at", "created_at"),
        )
        decisions = Decision.objects.annotate(latest_event=latest_event).order_by(
            "-latest_event", "-pk"
        )[:FEED_LENGTH]
        return newest(entry for decision in decisions for entry in decision_entries(decision))
