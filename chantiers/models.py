"""Chantiers (working groups) between assemblies: their people, their kanban of cards, and the
workshops that start or continue them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from commons_registry.models import Commons
from workshops.models import Workshop

# Order keys are fractions: a card dropped between two others takes the midpoint, so that a move
# rewrites one row. Six decimal places leave about thirty halvings before a column is renumbered,
# and stay exact within the 15 significant digits SQLite keeps for decimals.
ORDER_STEP = Decimal(1024)
ORDER_PLACES = 6


class ChantierQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Chantier.Status.ACTIVE)


class Chantier(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        DONE = "done", _("done")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose (Markdown)"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    related_commons = models.ManyToManyField(
        Commons, blank=True, related_name="chantiers", verbose_name=_("related commons")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="started_chantiers",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"))

    objects = ChantierQuerySet.as_manager()

    class Meta:
        verbose_name = _("chantier")
        verbose_name_plural = _("chantiers")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("chantiers:detail", kwargs={"pk": self.pk})


class Participant(models.Model):
    """A person in a chantier: a coordinator, or a member who joined."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        MEMBER = "member", _("member")

    chantier = models.ForeignKey(
        Chantier, on_delete=models.CASCADE, related_name="participants", verbose_name=_("chantier")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="chantier_participations",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"))

    class Meta:
        verbose_name = _("chantier participant")
        verbose_name_plural = _("chantier participants")
        ordering = ["chantier", "-role", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["chantier", "person"], name="one_participation"),
        ]

    def __str__(self):
        return f"{self.person} — {self.chantier}"


class Column(models.Model):
    """One column of a chantier's kanban. Its name may be changed; its place never is."""

    class Stage(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("In progress")
        DONE = "done", pgettext_lazy("kanban column", "Done")

    chantier = models.ForeignKey(
        Chantier, on_delete=models.CASCADE, related_name="columns", verbose_name=_("chantier")
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    # Empty: the stage's translated name, so that the default columns follow the reader's language.
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["chantier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chantier", "position"], name="one_column_per_place"),
            models.UniqueConstraint(fields=["chantier", "stage"], name="one_column_per_stage"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name or str(self.Stage(self.stage).label)


class Card(models.Model):
    chantier = models.ForeignKey(
        Chantier, on_delete=models.CASCADE, related_name="cards", verbose_name=_("chantier")
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="cards", verbose_name=_("column")
    )
    order = models.DecimalField(_("order"), max_digits=16, decimal_places=ORDER_PLACES)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cards",
        verbose_name=_("person"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_cards",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["column__position", "order", "pk"]
        constraints = [
            # Two cards never share a place: the column's row lock orders the moves into it.
            models.UniqueConstraint(fields=["column", "order"], name="one_card_per_place"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("chantiers:card", kwargs={"pk": self.chantier_id, "card": self.pk})


class ChantierWorkshop(models.Model):
    """A workshop that starts or continues a chantier (the link lives here, not in workshops)."""

    class Kind(models.TextChoices):
        STARTS = "starts", _("starts")
        CONTINUES = "continues", _("continues")

    chantier = models.ForeignKey(
        Chantier,
        on_delete=models.CASCADE,
        related_name="workshop_links",
        verbose_name=_("chantier"),
    )
    workshop = models.OneToOneField(
        Workshop, on_delete=models.CASCADE, related_name="chantier_link", verbose_name=_("workshop")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CONTINUES)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )

    class Meta:
        verbose_name = _("chantier workshop")
        verbose_name_plural = _("chantier workshops")

    def __str__(self):
        return f"{self.workshop} → {self.chantier}"
