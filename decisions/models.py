"""Decisions taken by consent: a discussion open to all, then a vote among the members on a frozen
roll. The rules that move a decision along live in decisions/services.py."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assembly import read_only
from assembly.prepared import prepared
from commons_registry.models import Commons


class DecisionQuerySet(models.QuerySet):
    def open(self):
        """Decisions still being discussed or voted on, soonest deadline first."""
        return self.filter(
            phase__in=[
                Decision.Phase.DISCUSSION,
                Decision.Phase.AWAITING_PROPOSAL,
                Decision.Phase.VOTING,
            ]
        )

    def discussion_over(self, now):
        return self.filter(phase=Decision.Phase.DISCUSSION, discussion_ends_at__lte=now)

    def vote_over(self, now):
        return self.filter(phase=Decision.Phase.VOTING, vote_closes_at__lte=now)

    def awaiting_vote_from(self, person, now=None):
        """Open votes with this person on the roll and no vote of theirs yet, soonest close first."""
        now = now or timezone.now()
        return self.filter(
            phase=Decision.Phase.VOTING,
            vote_closes_at__gt=now,
            roll__person=person,
            roll__vote__isnull=True,
        ).order_by("vote_closes_at", "pk")

    def with_what_its_page_lists(self):
        """Each decision with whether it has related commons, next rounds and comments, and how
        many distinct texts its proposal had: its page asks for those lists only when there is
        something in them (two texts at least for the proposal's versions)."""
        texts = (
            Decision.history.filter(id=OuterRef("pk"))
            .exclude(proposal="")
            .order_by()
            .values("id")
            .annotate(texts=Count("proposal", distinct=True))
            .values("texts")
        )
        return self.annotate(
            has_related_commons=Exists(
                Decision.related_commons.through.objects.filter(decision=OuterRef("pk"))
            ),
            has_next_rounds=Exists(Decision.objects.filter(previous_round=OuterRef("pk"))),
            has_comments=Exists(Comment.objects.filter(decision=OuterRef("pk"))),
            proposal_texts=Coalesce(Subquery(texts), 0),
        )

    def changed_since_taking_part(self, person, now=None):
        """Discussions this person took part in (authored or commented) that moved on since their
        last comment: newer comments by others, the proposal written, the vote opened or closed.

        Decisions over for more than `RECENTLY_CLOSED` drop out: there is nothing left to do.
        Each carries `new_comments`, the visible comments by others since that last comment.
        """
        now = now or timezone.now()
        mine = Comment.objects.filter(decision=OuterRef("pk"), author=person)
        others_since = (
            Comment.objects.filter(
                decision=OuterRef("pk"), hidden=False, created_at__gt=OuterRef("taken_part_at")
            )
            .exclude(author=person)
            .order_by()
            .values("decision")
            .annotate(n=Count("pk"))
            .values("n")
        )
        # Only the author writes the proposal, so it is news to everyone else who took part.
        proposal_written = Decision.history.filter(
            id=OuterRef("pk"),
            history_type="~",
            history_date__gt=OuterRef("taken_part_at"),
            phase__in=[Decision.Phase.DISCUSSION, Decision.Phase.AWAITING_PROPOSAL],
        ).exclude(proposal="")
        return (
            self.filter(
                Q(author=person)
                | Q(pk__in=Comment.objects.filter(author=person).values("decision"))
            )
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=now - RECENTLY_CLOSED))
            .annotate(
                taken_part_at=Coalesce(
                    Subquery(mine.order_by("-created_at").values("created_at")[:1]),
                    "created_at",
                )
            )
            .annotate(new_comments=Coalesce(Subquery(others_since), 0))
            .filter(
                Q(new_comments__gt=0)
                | Q(vote_opens_at__gt=F("taken_part_at"))
                | Q(closed_at__gt=F("taken_part_at"))
                | (Exists(proposal_written) & ~Q(author=person))
            )
            .order_by("-created_at", "-pk")
        )


# A decision's page reads them at each first view: built and compiled once (assembly/prepared.py).
@prepared()
def _proposal_records(decision):
    return (
        Decision.history.filter(id=decision)
        .order_by("history_date", "history_id")
        .values_list("proposal", "history_date")
    )


_labels: dict[type, dict] = {}


def _label(choices, value):
    """What Django's get_FOO_display gives: the label in the current language, else the value."""
    labels = _labels.get(choices)
    if labels is None:
        labels = _labels[choices] = dict(choices.choices)
    return force_str(labels.get(value, value), strings_only=True)


# How long a decision that closed stays among the things waiting for the people who took part.
RECENTLY_CLOSED = datetime.timedelta(days=7)


class Decision(models.Model):
    class Kind(models.TextChoices):
        FINANCE = "finance", _("finance")
        PUBLIC_POSITION = "position", _("public position")
        CHARTER_CHANGE = "charter", _("charter change")
        OTHER = "other", _("other")

    class Phase(models.TextChoices):
        DISCUSSION = "discussion", _("discussion")
        AWAITING_PROPOSAL = "awaiting", _("awaiting proposal")
        VOTING = "voting", _("vote")
        CLOSED = "closed", _("closed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    context = models.TextField(_("context"), blank=True)
    proposal = models.TextField(_("proposal"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="authored_decisions",
        verbose_name=_("author"),
    )
    related_commons = models.ManyToManyField(
        Commons, blank=True, related_name="decisions", verbose_name=_("related commons")
    )
    phase = models.CharField(
        _("phase"), max_length=12, choices=Phase.choices, default=Phase.DISCUSSION
    )
    discussion_days = models.PositiveSmallIntegerField(_("discussion length (days)"))
    vote_days = models.PositiveSmallIntegerField(_("vote length (days)"))
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (%)"), default=0)
    created_at = models.DateTimeField(_("opened at"))
    discussion_ends_at = models.DateTimeField(_("discussion ends at"))
    vote_opens_at = models.DateTimeField(_("vote opens at"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("vote closes at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_statement = models.TextField(_("outcome statement"), blank=True)
    review_on = models.DateField(_("review date"), null=True, blank=True)
    previous_round = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name=_("previous round"),
    )
    # Filled when the vote closes, so the log never recounts.
    roll_size = models.PositiveIntegerField(_("roll size"), null=True, blank=True)
    roll_fingerprint = models.CharField(_("roll fingerprint (SHA-256)"), max_length=64, blank=True)
    consent_count = models.PositiveIntegerField(_("consents"), null=True, blank=True)
    abstain_count = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    objection_count = models.PositiveIntegerField(_("objections"), null=True, blank=True)
    # When each notice was handed to assembly.notifications (which itself sends each e-mail once).
    # A notice is marked only after delivery, so a crash in between means "try again", never "lost".
    author_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    roll_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_3_days_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_1_day_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The time given back after read-only seasons that began while it was open (issue 26).
    read_only_extension = models.DurationField(
        _("extended after read-only seasons by"), null=True, blank=True, editable=False
    )

    objects = DecisionQuerySet.as_manager()

    history = HistoricalRecords(
        excluded_fields=[
            "context",
            "author_reminded_at",
            "roll_notified_at",
            "reminded_3_days_at",
            "reminded_1_day_at",
            "outcome_notified_at",
        ]
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["phase", "discussion_ends_at"]),
            models.Index(fields=["phase", "vote_closes_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(phase="voting")
                | Q(vote_opens_at__isnull=False, vote_closes_at__isnull=False),
                name="voting_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(phase="closed") | ~Q(outcome=""), name="closed_has_outcome"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("decisions:detail", kwargs={"pk": self.pk})

    # Asked for every row of the decision log and every card on home: a lookup in the choices'
    # labels, where Django's own passes all the choices through make_hashable at each call.
    def get_kind_display(self):
        return _label(self.Kind, self.kind)

    def get_phase_display(self):
        return _label(self.Phase, self.phase)

    def get_outcome_display(self):
        return _label(self.Outcome, self.outcome)

    @property
    def topic(self) -> str:
        """The subject of this decision's e-mails in assembly.notifications."""
        return f"decision:{self.pk}"

    def proposal_versions(self) -> list[dict]:
        """Each distinct text the proposal had, oldest first, with when it was written."""
        versions = []
        records = _proposal_records(decision=self.pk)
        for text, written_at in records:
            if text and (not versions or versions[-1]["text"] != text):
                versions.append({"number": len(versions) + 1, "text": text, "at": written_at})
        return versions

    def open_at(self, moment: datetime.datetime) -> bool:
        """Whether people could still comment or vote on it at `moment` (as far as its dates say)."""
        if self.phase in (self.Phase.DISCUSSION, self.Phase.AWAITING_PROPOSAL):
            return self.phase == self.Phase.DISCUSSION and self.discussion_ends_at > moment
        return self.phase == self.Phase.VOTING and self.vote_closes_at > moment

    @property
    def awaits_read_only_extension(self) -> bool:
        """Open when the current read-only season began: it will be extended once it ends."""
        return read_only.is_read_only() and self.open_at(read_only.season_since())

    @property
    def read_only_extension_text(self) -> str:
        """ "3 days, 4 hours": how long read-only seasons added, in the reader's language."""
        if not self.read_only_extension:
            return ""
        reference = timezone.now()
        return timesince(reference - self.read_only_extension, reference)

    @property
    def is_open_for_comments(self) -> bool:
        return self.phase in (self.Phase.DISCUSSION, self.Phase.AWAITING_PROPOSAL)

    @property
    def vote_count(self) -> int | None:
        if self.consent_count is None:
            return None
        return self.consent_count + self.abstain_count + self.objection_count

    @property
    def turnout_percent(self) -> float | None:
        """Votes against the frozen roll, as stored at the close."""
        if self.roll_size is None or self.vote_count is None:
            return None
        return turnout(self.vote_count, self.roll_size)


def turnout(votes: int, roll_size: int) -> float:
    return round(100 * votes / roll_size, 1) if roll_size else 0.0


class Comment(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="decision_comments",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"))
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    # When the decision's author and the earlier commenters were told of this reply (e-mail or
    # digest item, each by their choice for "my own things"); empty until the worker did it.
    replies_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} — {self.created_at:%Y-%m-%d %H:%M}"


class RollEntry(models.Model):
    """One voter on a decision's electoral roll, frozen when the vote opened."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="roll")
    # Nullable: a deleted account stays counted on the roll, anonymised.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="roll_entries"
    )
    voter_ref = models.CharField(max_length=64, help_text="stable id used for the fingerprint")

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("electoral roll")
        constraints = [
            models.UniqueConstraint(fields=["decision", "voter_ref"], name="one_roll_entry"),
        ]

    def __str__(self):
        return f"{self.decision_id}: {self.voter_ref}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        CONSENT = "consent", _("consent")
        ABSTAIN = "abstain", _("abstain")
        OBJECT = "object", _("object")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    roll_entry = models.OneToOneField(RollEntry, on_delete=models.CASCADE, related_name="vote")
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices)
    reason = models.TextField(_("reason"), blank=True)
    cast_at = models.DateTimeField(_("cast at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(choice="object") | ~Q(reason=""), name="objection_needs_reason"
            ),
        ]

    def __str__(self):
        return f"{self.roll_entry_id}: {self.choice}"


class ReadOnlySeason(models.Model):
    """A read-only season whose open discussions and votes were extended: once per season, keyed
    by when it began (READ_ONLY_SINCE); its end is the first sweep that ran after it."""

    since = models.DateTimeField(_("read-only since"), unique=True)
    ended_at = models.DateTimeField(_("ended at"))
    extended = models.PositiveIntegerField(_("decisions extended"), default=0)

    class Meta:
        verbose_name = _("read-only season")
        verbose_name_plural = _("read-only seasons")
        ordering = ["-since"]

    def __str__(self):
        return f"{self.since:%Y-%m-%d %H:%M} – {self.ended_at:%Y-%m-%d %H:%M}"
