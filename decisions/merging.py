"""How decisions follow a merge of two people (assembly.merging): the rule for electoral rolls.

A roll is frozen when the vote opens, and a person counted twice on it (two accounts, both members)
stays counted twice: its size and fingerprint never change. So when both people are on one roll:
- both voted: the merge is refused, since no one can say which vote is theirs;
- only the merged person voted: their vote (and its history) moves onto the kept person's entry;
- in every case the merged person's entry stays on the roll, anonymised (person NULL), as the
  entry of a deleted account does.
An entry on a roll the kept person is not on simply passes to them, with its vote.
"""

from django.utils.translation import gettext as _

from assembly import merging

from .models import Comment, Decision, RollEntry, Vote


def both_voted_on_one_roll(kept, merged) -> str | None:
    """The reason to refuse the merge, or None."""
    shared = (
        Vote.objects.filter(roll_entry__person=merged)
        .filter(decision__roll__person=kept, decision__roll__vote__isnull=False)
        .values_list("decision__title", flat=True)
        .distinct()
        .order_by("decision__title")
    )
    titles = list(shared)
    if not titles:
        return None
    return _(
        "Both people are on the electoral roll of “%(titles)s” and both voted: they cannot be "
        "merged, since nobody can tell which vote is theirs."
    ) % {"titles": "”, “".join(titles)}


def move_roll_entries(kept, merged) -> int:
    ours = dict(RollEntry.objects.filter(person=kept).values_list("decision_id", "pk"))
    moved = 0
    for entry in RollEntry.objects.filter(person=merged).select_related("vote"):
        kept_entry_id = ours.get(entry.decision_id)
        if kept_entry_id is None:
            entry.person = kept
        else:
            vote = getattr(entry, "vote", None)
            if vote is not None:
                Vote.objects.filter(pk=vote.pk).update(roll_entry_id=kept_entry_id)
                Vote.history.filter(id=vote.pk).update(roll_entry_id=kept_entry_id)
            entry.person = None
        entry.save(update_fields=["person"])
        moved += 1
    return moved


def register() -> None:
    merging.register_check(both_voted_on_one_roll)
    merging.register_merge(RollEntry, "person", move=move_roll_entries)
    merging.register_merge(Vote.history.model, "history_user")
    merging.register_merge(Decision, "author")
    merging.register_merge(Decision.history.model, "author")
    merging.register_merge(Decision.history.model, "history_user")
    merging.register_merge(Comment, "author")
