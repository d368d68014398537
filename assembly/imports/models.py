"""What the import engine keeps: each batch, the files a pending batch waits with, what each
applied batch created or changed (for undo, and as the tombstones of entries deleted since), and
the column mapping last used for each kind. Part of the `assembly` app (one migration there)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import: a file uploaded (pending), then applied, and perhaps undone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("not applied yet")
        APPLIED = "applied", _("applied")
        UNDONE = "undone", _("undone")

    kind = models.CharField(_("kind"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    skip_errors = models.BooleanField(_("valid rows only"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    # The side effects as the preview spelled them out ("34 meetings created, …").
    effects = models.JSONField(_("side effects"), default=list, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
                name="import_applied_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.kind} · {self.file_name}"

    def get_absolute_url(self):
        return reverse("imports:batch", kwargs={"pk": self.pk})

    @property
    def summary_line(self) -> str:
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"skipped={self.skipped} errors={self.errors}"
        )


class ImportFile(models.Model):
    """A file a pending batch waits with between the browser's steps, kept in the database (the
    one state every web process shares); emptied once the batch is applied or abandoned."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("imported file")
        verbose_name_plural = _("imported files")

    def __str__(self):
        return self.name


class ImportRecord(models.Model):
    """One entry an applied batch created or changed. Kept after the batch: a record whose entry
    no longer exists is a tombstone (deleted after the import, so never brought back by another).
    `key_digest` is the SHA-256 of the kind and the row's stable key, so that a tombstone holds no
    e-mail address or name of its own. `before` holds the values an update replaced (for undo)."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    key_digest = models.CharField(max_length=64)
    action = models.CharField(max_length=8, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    before = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("imported entry")
        verbose_name_plural = _("imported entries")
        indexes = [
            models.Index(fields=["key_digest"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.action} {self.content_type_id}#{self.object_id}"


class ImportMapping(models.Model):
    """The column mapping last applied for a kind ({column header: field}), offered next time."""

    kind = models.CharField(_("kind"), max_length=40, unique=True)
    columns = models.JSONField(_("columns"), default=dict)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")

    def __str__(self):
        return self.kind
