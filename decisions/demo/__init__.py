"""Demo decisions for seed_demo: one in discussion, one in its vote, two closed, as content.toml
beside this file describes them. Safe to run twice.

Everything goes through decisions/services.py with explicit dates, so the demo follows the same
rules as real use. `--scale large` adds 500 closed decisions and 25,000 votes (bulk inserts).
"""

import datetime
import random

from django.utils import timezone

from assembly.demo import content
from assembly.models import User

from .. import services
from ..models import Decision, RollEntry, Vote

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
CONTENT = content(__name__)
LARGE = CONTENT["large"]
LARGE_DECISIONS = LARGE["decisions"]
LARGE_VOTERS = LARGE["voters"]
LARGE_TITLE = LARGE["title"]


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
    people = {
        role: User.objects.get(email=f"{role}@example.org")
        for role in ("facilitator", "member", "newcomer")
    }
    _make_member(people["member"], now)
    existing = set(Decision.objects.values_list("title", flat=True))
    created = 0
    for entry in CONTENT["decisions"]:
        if entry["title"] not in existing:
            _take_through_its_steps(entry, people, now)
            created += 1
    if scale == "large":
        created += _seed_large(now)
    stdout.write(f"decisions: {created} created")


def _take_through_its_steps(entry: dict, people: dict, now) -> None:
    """One demo decision, from its opening to the last step content.toml gives it."""

    def hours_ago(hours):
        return now - hours * HOUR

    decision = services.open_discussion(
        author=people[entry["author"]],
        title=entry["title"],
        kind=entry["kind"],
        context=entry.get("context", ""),
        proposal=entry.get("proposal", ""),
        now=hours_ago(entry["opened_hours_ago"]),
    )
    for comment in entry.get("comments", []):
        services.add_comment(
            decision,
            author=people[comment["author"]],
            now=hours_ago(comment["hours_ago"]),
            text=comment["text"],
        )
    if published := entry.get("proposal_published"):
        services.publish_proposal(
            decision,
            by=people[published["by"]],
            now=hours_ago(published["hours_ago"]),
            text=published["text"],
        )
    if "vote_opened_hours_ago" in entry:
        services.open_vote(decision, now=hours_ago(entry["vote_opened_hours_ago"]))
    for vote in entry.get("votes", []):
        services.cast_vote(
            decision,
            voter=people[vote["voter"]],
            choice=vote["choice"],
            reason=vote.get("reason", ""),
            now=hours_ago(vote["hours_ago"]),
        )
    if "closed_hours_ago" in entry:
        services.close_vote(decision, now=hours_ago(entry["closed_hours_ago"]))
    if "vote_opened_hours_ago" in entry:
        _quiet(decision, now)


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
        Decision.objects.filter(title__startswith=LARGE_TITLE.split("{")[0]).values_list(
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
                context=LARGE["context"],
                proposal=LARGE["proposal"].format(n=n),
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
                reason=LARGE["objection"] if choice == "object" else "",
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


def adopted_in_the_past(
    *, title, kind, context, proposal, author, voters, closed_at, votes_after=datetime.timedelta(0)
) -> Decision:
    """A decision adopted long ago by consent of every voter, written directly (its e-mails belong
    to the past, so they are marked sent): for the demos of the apps whose effects it carries."""
    opened = closed_at - 14 * DAY
    vote_opens = closed_at - 7 * DAY
    decision = Decision.objects.create(
        title=title,
        kind=kind,
        context=context,
        proposal=proposal,
        author=author,
        phase=Decision.Phase.CLOSED,
        discussion_days=7,
        vote_days=7,
        quorum_percent=0,
        created_at=opened,
        discussion_ends_at=vote_opens,
        vote_opens_at=vote_opens,
        vote_closes_at=closed_at,
        closed_at=closed_at,
        outcome=Decision.Outcome.ADOPTED,
        roll_size=len(voters),
        roll_fingerprint=services.roll_fingerprint(str(voter.pk) for voter in voters),
        consent_count=len(voters),
        abstain_count=0,
        objection_count=0,
        roll_notified_at=closed_at,
        reminded_3_days_at=closed_at,
        reminded_1_day_at=closed_at,
        outcome_notified_at=closed_at,
    )
    for voter in voters:
        entry = RollEntry.objects.create(decision=decision, person=voter, voter_ref=str(voter.pk))
        Vote.objects.create(
            decision=decision,
            roll_entry=entry,
            choice=Vote.Choice.CONSENT,
            cast_at=vote_opens + votes_after,
        )
    return decision
