"""What the budget holds about a person: the ledger entries they recorded. The entries stay when
the account goes (the ledger is the assembly's), without the name."""

from django.utils import timezone

from .models import Entry


def recorded_entries(person) -> list[dict]:

    return [
        {
            "date": entry.date.isoformat(),
            "kind": entry.kind,
            "amount": f"{entry.amount:.2f}",
            "payee_or_source": entry.counterparty,
            "recorded_at": timezone.localtime(entry.recorded_at).isoformat(),
        }
        for entry in Entry.objects.filter(recorded_by=person).order_by("date", "pk")
    ]
