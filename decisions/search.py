"""Decisions and their comments in search (assembly/search.py). No decision is hidden; a hidden
comment is found only by those who may hide comments, as on the decision's page."""

from django.utils.translation import gettext_lazy as _

from assembly.search import Source

from .models import Comment, Decision
from .permissions import can_hide_comment

DECISION_TITLE_FIELD = "title"
DECISION_BODY_FIELDS = ("context", "proposal", "outcome_statement")
COMMENT_BODY_FIELDS = ("text",)


def comments_visible_to(person):
    comments = Comment.objects.all()
    return comments if can_hide_comment(person) else comments.filter(hidden=False)


def comment_title(comment) -> str:
    return _("Comment on “%(decision)s”") % {"decision": comment.decision.title}


SOURCES = [
    Source(
        kind="decisions",
        label=_("Decisions"),
        visible_to=lambda person: Decision.objects.all(),
        title_field=DECISION_TITLE_FIELD,
        body_fields=DECISION_BODY_FIELDS,
        title=str,
        url=lambda decision: decision.get_absolute_url(),
    ),
    Source(
        kind="comments",
        label=_("Comments"),
        visible_to=comments_visible_to,
        title_field=None,
        body_fields=COMMENT_BODY_FIELDS,
        title=comment_title,
        url=lambda comment: f"{comment.decision.get_absolute_url()}#comment-{comment.pk}",
        related=("decision",),
    ),
]
