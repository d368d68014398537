"""Demo decisions for seed_demo: one in discussion, one in its vote, two closed. Safe to run twice.

Everything goes through decisions/services.py with explicit dates, so the demo follows the same
rules as real use. `--scale large` adds 500 closed decisions and 25,000 votes (bulk inserts).
"""

import datetime
import random

from django.utils import timezone

from assembly.models import User

from . import services
from .models import Decision, RollEntry, Vote

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
LARGE_DECISIONS = 500
LARGE_VOTERS = 50
LARGE_TITLE = "Archived decision no. {n:03d}"


def _make_member(user: User, now) -> None:
    # The membership helper's recompute normally fills these from attendance; the demo member
    # must be a member even before that runs (the lead reconciles both at merge).
    if not user.is_member(timezone.localdate(now)):
        user.membership_declared_at = user.membership_declared_at or now - 90 * DAY
        user.eligible_until = timezone.localdate(now) + 300 * DAY
        user.save(update_fields=["membership_declared_at", "eligible_until"])


def _quiet(decision: Decision, now) -> None:
    """Demo decisions do not e-mail the demo accounts about things that happened in the past."""
    Decision.objects.filter(pk=decision.pk).update(
        author_reminded_at=now,
        roll_notified_at=now,
        reminded_3_days_at=now,
        reminded_1_day_at=now,
        outcome_notified_at=now,
    )


def seed(scale: str, stdout) -> None:
    now = timezone.now()
    member = User.objects.get(email="member@example.org")
    facilitator = User.objects.get(email="facilitator@example.org")
    newcomer = User.objects.get(email="newcomer@example.org")
    _make_member(member, now)
    existing = set(Decision.objects.values_list("title", flat=True))
    created = 0

    title = "Acheter un vélo-cargo pour l'outilthèque"
    if title not in existing:
        decision = services.open_discussion(
            author=facilitator,
            title=title,
            kind=Decision.Kind.FINANCE,
            context="L'outilthèque prête des outils lourds que l'on rapporte chez soi à pied. "
            "Un vélo-cargo (environ 2 000 €) permettrait à chacun de les emprunter.",
            now=now - 2 * DAY,
        )
        services.add_comment(
            decision,
            author=member,
            now=now - 2 * DAY + HOUR,
            text="Bonne idée. Qui le range, et qui le répare ?",
        )
        services.add_comment(
            decision,
            author=newcomer,
            now=now - DAY,
            text="L'atelier vélo de la rue Jean-Jaurès propose de l'entretenir.",
        )
        services.publish_proposal(
            decision,
            by=facilitator,
            now=now - DAY + HOUR,
            text="Nous achetons un vélo-cargo (2 200 € au plus). L'outilthèque le garde ; "
            "l'atelier de réparation du mardi l'entretient.",
        )
        created += 1

    title = "Soutenir la pétition pour garder le jardin de la rue des Jardins"
    if title not in existing:
        decision = services.open_discussion(
            author=member,
            title=title,
            kind=Decision.Kind.PUBLIC_POSITION,
            context="La ville prévoit de construire sur le jardin partagé de la rue des Jardins.",
            proposal="L'assemblée signe la pétition et le fait savoir publiquement.",
            now=now - 9 * DAY,
        )
        # The newcomer is not a member, so they are not on the roll frozen here.
        services.open_vote(decision, now=now - 2 * DAY)
        _quiet(decision, now)
        created += 1

    title = "Adopter la règle de réservation de la salle de réunion"
    if title not in existing:
        decision = services.open_discussion(
            author=facilitator,
            title=title,
            kind=Decision.Kind.OTHER,
            proposal="Toute personne participante peut réserver gratuitement la salle pour "
            "une réunion d'un commun, jusqu'à deux fois par mois.",
            now=now - 30 * DAY,
        )
        services.open_vote(decision, now=now - 23 * DAY)
        services.cast_vote(decision, voter=member, choice="consent", now=now - 22 * DAY)
        services.close_vote(decision, now=now - 16 * DAY)
        _quiet(decision, now)
        created += 1

    title = "Dépenser 800 € pour une sonorisation"
    if title not in existing:
        decision = services.open_discussion(
            author=member,
            title=title,
            kind=Decision.Kind.FINANCE,
            proposal="Nous achetons une sonorisation portable pour les plénières (800 €).",
            now=now - 40 * DAY,
        )
        services.open_vote(decision, now=now - 33 * DAY)
        services.cast_vote(
            decision,
            voter=member,
            choice="object",
            reason="Le tiers-lieu voisin prête la sienne gratuitement ; demandons-leur d'abord.",
            now=now - 30 * DAY,
        )
        services.close_vote(decision, now=now - 26 * DAY)
        _quiet(decision, now)
        created += 1

    title = "Ouvrir nos assemblées aux associations du quartier"
    if title not in existing:
        # Opened a few hours ago: the worker of `make run` tells everyone who may comment.
        services.open_discussion(
            author=member,
            title=title,
            kind=Decision.Kind.PUBLIC_POSITION,
            context="Plusieurs associations du quartier demandent à présenter leurs projets en "
            "plénière. Comment les accueillir sans allonger la plénière ?",
            now=now - 3 * HOUR,
        )
        created += 1

    if scale == "large":
        created += _seed_large(now)
    stdout.write(f"decisions: {created} created")


def _seed_large(now) -> int:
    """500 closed decisions with 50 votes each, inserted in bulk (no history rows)."""
    voters = []
    for n in range(LARGE_VOTERS):
        email = f"voter{n:02d}@example.org"
        voter = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, display_name=f"Voter {n:02d}"
        )
        _make_member(voter, now)
        voters.append(voter)
    refs = sorted(str(voter.pk) for voter in voters)
    fingerprint = services.roll_fingerprint(refs)
    existing = set(
        Decision.objects.filter(title__startswith="Archived decision no.").values_list(
            "title", flat=True
        )
    )
    rng = random.Random(4)  # noqa: S311 - demo data, not security
    kinds = Decision.Kind.values
    decisions = []
    for n in range(LARGE_DECISIONS):
        title = LARGE_TITLE.format(n=n)
        if title in existing:
            continue
        opened = now - (60 + n) * DAY
        decisions.append(
            Decision(
                title=title,
                kind=kinds[n % len(kinds)],
                context="Archived for the benchmark.",
                proposal=f"Proposal {n}.",
                author=voters[n % LARGE_VOTERS],
                phase=Decision.Phase.CLOSED,
                discussion_days=7,
                vote_days=7,
                quorum_percent=0,
                created_at=opened,
                discussion_ends_at=opened + 7 * DAY,
                vote_opens_at=opened + 7 * DAY,
                vote_closes_at=opened + 14 * DAY,
                closed_at=opened + 14 * DAY,
                outcome=Decision.Outcome.ADOPTED,
                roll_size=LARGE_VOTERS,
                roll_fingerprint=fingerprint,
                author_reminded_at=now,
                roll_notified_at=now,
                reminded_3_days_at=now,
                reminded_1_day_at=now,
                outcome_notified_at=now,
            )
        )
    if not decisions:
        return 0
    decisions = Decision.objects.bulk_create(decisions)
    entries = RollEntry.objects.bulk_create(
        [RollEntry(decision=d, person=v, voter_ref=str(v.pk)) for d in decisions for v in voters],
        batch_size=5000,
    )
    votes = []
    tallies = {d.pk: {"consent": 0, "abstain": 0, "object": 0} for d in decisions}
    objecting = {d.pk for n, d in enumerate(decisions) if n % 5 == 0}  # one in five fails
    seen: dict[int, int] = {}
    for entry in entries:
        rank = seen[entry.decision_id] = seen.get(entry.decision_id, 0) + 1
        if entry.decision_id in objecting and rank <= 2:
            choice = "object"
        else:
            choice = "abstain" if rng.random() < 0.12 else "consent"
        tallies[entry.decision_id][choice] += 1
        votes.append(
            Vote(
                decision_id=entry.decision_id,
                roll_entry=entry,
                choice=choice,
                reason="Not like this: the cost is not explained." if choice == "object" else "",
                cast_at=entry.decision.vote_opens_at + DAY,
            )
        )
    Vote.objects.bulk_create(votes, batch_size=5000)
    for decision in decisions:
        counts = tallies[decision.pk]
        decision.consent_count = counts["consent"]
        decision.abstain_count = counts["abstain"]
        decision.objection_count = counts["object"]
        if counts["object"]:
            decision.outcome = Decision.Outcome.NOT_ADOPTED
    Decision.objects.bulk_update(
        decisions,
        ["consent_count", "abstain_count", "objection_count", "outcome"],
        batch_size=500,
    )
    return len(decisions)
