"""Every change an administrator makes at /setup/ or /settings/ is kept: who, when, what, and the
values before and after (SettingChange, listed on /settings/).

`save_settings` is the one way those pages write a settings row (the configuration, the rhythm, a
venue, a commons category): it locks the row, compares, saves and records in one transaction, so
a save that changes nothing records nothing.
"""

from django.db import models, transaction

from .models import SettingChange


def _plain(value):
    """A value as JSON holds it: numbers, text and booleans as they are, the rest as text (a
    Decimal, a time, a related row by its name)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def snapshot(instance: models.Model, fields) -> dict:
    """The fields' values as a person would read them (a venue by its name, not its id)."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation:
            values[name] = _plain(getattr(instance, name))
        else:
            values[name] = _plain(field.value_from_object(instance))
    return values


def record_change(*, by, subject: str, before: dict, after: dict) -> SettingChange:
    return SettingChange.objects.create(
        changed_by=by, subject=str(subject)[:200], before=before, after=after
    )


@transaction.atomic
def save_settings(instance: models.Model, fields, *, by, subject: str) -> SettingChange | None:
    """Save `instance` (changed in memory, by a form) and record what changed among `fields`.

    Returns the recorded change, or None when nothing changed (nothing is written then)."""
    fields = list(fields)
    model = type(instance)
    if instance.pk is not None and model.objects.filter(pk=instance.pk).exists():
        stored = model.objects.select_for_update().get(pk=instance.pk)
        before = snapshot(stored, fields)
    else:
        before = {}
    after = snapshot(instance, fields)
    changed = {name for name in fields if before.get(name, ...) != after[name]}
    if not changed:
        return None
    instance.save()
    return record_change(
        by=by,
        subject=subject,
        before={name: before[name] for name in fields if name in changed and name in before},
        after={name: after[name] for name in fields if name in changed},
    )


def recent_changes(limit: int = 50):
    return SettingChange.objects.select_related("changed_by")[:limit]


def changes_by(person) -> list[dict]:
    """For the person's data export: the settings changes they made."""
    return [
        {
            "changed_at": change.changed_at.isoformat(),
            "subject": change.subject,
            "before": change.before,
            "after": change.after,
        }
        for change in SettingChange.objects.filter(changed_by=person).order_by("changed_at")
    ]
