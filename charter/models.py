"""The Charte des pratiques: documents, their numbered immutable versions, and the amendments that
a charter-change decision carries until it is adopted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assembly.models import forget_on_commit
from decisions.models import Decision

DEFAULT_SLUG = "charte-des-pratiques"
DEFAULT_TITLE = "Charte des pratiques"


class ImmutableVersionError(Exception):
    """A charter version, once written, is never changed nor deleted."""


# The default charter's newest version, as charter.services.current_version() caches it.
CURRENT_VERSION_CACHE_KEY = "charter-current-version"


class CharterQuerySet(models.QuerySet):
    def default(self):
        return self.filter(slug=DEFAULT_SLUG)


class Charter(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = CharterQuerySet.as_manager()

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        forget_on_commit(CURRENT_VERSION_CACHE_KEY)  # it carries the charter's title

    def get_absolute_url(self):
        if self.is_default:
            return reverse("charter:current")
        return reverse("charter:current", kwargs={"slug": self.slug})

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        forget_on_commit(CURRENT_VERSION_CACHE_KEY)
        return result

    @property
    def is_default(self) -> bool:
        return self.slug == DEFAULT_SLUG


class CharterVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableVersionError("Charter versions are immutable.")

    def delete(self):
        raise ImmutableVersionError("Charter versions are never deleted.")

    def of(self, charter):
        return self.filter(charter=charter)

    def latest_first(self):
        return self.order_by("-number")


class CharterVersion(models.Model):
    """One numbered text of a charter. Written once: there is no update path."""

    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="versions", verbose_name=_("charter")
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text (Markdown)"))
    created_at = models.DateTimeField(_("created at"))
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charter_versions",
        verbose_name=_("adopted by decision"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A version adopted before the assembly used this site, brought in by the charter history
    # import (charter/importing.py): it has a date and no decision, and no vote is invented.
    adopted_before_assemblee = models.BooleanField(_("adopted before Assemblée"), default=False)

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["charter", "number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="one_number_per_charter"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self):
        return _("%(charter)s, version %(number)s") % {
            "charter": self.charter,
            "number": self.number,
        }

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableVersionError("Charter versions are immutable.")
        # Force an INSERT: a version that already exists is never overwritten.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)
        forget_on_commit(CURRENT_VERSION_CACHE_KEY)

    def get_absolute_url(self):
        if self.charter.is_default:
            return reverse("charter:version", kwargs={"number": self.number})
        return reverse("charter:version", kwargs={"slug": self.charter.slug, "number": self.number})

    def delete(self, *args, **kwargs):
        raise ImmutableVersionError("Charter versions are never deleted.")


class Amendment(models.Model):
    """The proposed full text that a charter-change decision carries, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPLIED = "applied", _("applied")
        MERGED = "merged", _("merged")
        CONFLICT = "conflict", _("adopted — conflict")
        RESOLVED = "resolved", _("resolved")

    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="amendment", verbose_name=_("decision")
    )
    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="amendments", verbose_name=_("charter")
    )
    base_version = models.ForeignKey(
        CharterVersion,
        on_delete=models.PROTECT,
        related_name="amendments_drafted_from",
        verbose_name=_("drafted from version"),
    )
    proposed_text = models.TextField(_("proposed text (Markdown)"))
    rationale = models.TextField(_("rationale"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    resulting_version = models.OneToOneField(
        CharterVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
        verbose_name=_("resulting version"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conflict resolved by"),
    )

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["-pk"]
        constraints = [
            # A version exists exactly when the amendment was applied, merged or resolved.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["applied", "merged", "resolved"])
                    & Q(resulting_version__isnull=False)
                )
                | (Q(status__in=["pending", "conflict"]) & Q(resulting_version__isnull=True)),
                name="amendment_version_matches_status",
            ),
        ]

    def __str__(self):
        return str(self.decision)

    def get_conflict_url(self):
        return reverse("charter:conflict", kwargs={"pk": self.pk})
