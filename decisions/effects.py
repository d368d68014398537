"""What an adopted decision does beyond being adopted, registered by the apps that care.

`decisions` knows nothing of those apps. An app to its right (the charter) registers a function
for a kind of decision; `close_vote` runs every effect of that kind inside the transaction that
records the adoption, so a failing effect rolls the close back (and the close is retried).
"""

from collections.abc import Callable

_effects: dict[str, list[Callable]] = {}


def register(kind: str, effect: Callable) -> Callable:
    """Run effect(decision, now) when a decision of this kind is adopted. Usable as a decorator."""
    effects = _effects.setdefault(kind, [])
    if effect not in effects:
        effects.append(effect)
    return effect


def effects_for(kind: str) -> list[Callable]:
    return list(_effects.get(kind, []))


def run_effects(decision, now) -> None:
    for effect in effects_for(decision.kind):
        effect(decision, now)
