"""Demo data for the charter: a believable Charte des pratiques with its history.

Version 1 is the text the assembly wrote before using this site; versions 2 and 3 were adopted by
charter-change decisions (created here already closed, with their amendments applied); one more
amendment is open for discussion so that its diff shows on its decision page. `--scale large` takes
the history to 50 versions. Safe to run twice: what exists is found by its title, never duplicated.
The texts and titles come from content.toml and the Markdown files beside this file.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from assembly.demo import content, text
from assembly.models import User
from decisions.demo import adopted_in_the_past
from decisions.models import Decision

from .. import services
from ..models import Amendment, CharterVersion

CONTENT = content(__name__)
LARGE = CONTENT["large"]
SMALL_VERSIONS = 1 + len(CONTENT["adopted"])


def seed(scale: str, stdout) -> None:
    now = timezone.now()
    charter = services.ensure_default_charter()
    author = User.objects.filter(email="member@example.org").first()
    voters = list(User.objects.filter(email__in=["member@example.org", "facilitator@example.org"]))
    created = 0
    with transaction.atomic():
        first = CONTENT["first_version"]
        if not CharterVersion.objects.filter(charter=charter).exists():
            CharterVersion.objects.create(
                charter=charter,
                number=1,
                text=text(__name__, first["text"]),
                created_at=now - datetime.timedelta(days=first["days_ago"]),
                note=first["note"],
            )
            created += 1
        for adopted in CONTENT["adopted"]:
            created += _adopted(
                charter,
                text(__name__, adopted["text"]),
                adopted["title"],
                adopted["summary"],
                adopted["rationale"],
                closed_at=now - datetime.timedelta(days=adopted["days_ago"]),
                author=author,
                voters=voters,
            )
        if scale == "large":
            last = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
            for number in range(last.number + 1, LARGE["versions"] + 1):
                body = last.text.split(LARGE["mark"])[0].rstrip()
                rereading = number - SMALL_VERSIONS
                created += _adopted(
                    charter,
                    f"{body}\n\n{LARGE['line'].format(n=rereading)}\n",
                    LARGE["title"].format(n=rereading),
                    LARGE["summary"],
                    LARGE["rationale"],
                    closed_at=now - datetime.timedelta(days=LARGE["versions"] + 10 - number),
                    author=author,
                    voters=voters,
                )
                last = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
        pending = CONTENT["pending"]
        if author is not None and not Decision.objects.filter(title=pending["title"]).exists():
            services.propose_amendment(
                author=author,
                base_version=services.current_version(charter),
                title=pending["title"],
                summary=pending["summary"],
                proposed_text=text(__name__, pending["text"]),
                rationale=pending["rationale"],
                now=now - datetime.timedelta(days=pending["days_ago"]),
            )
            created += 1
    stdout.write(f"Charter: {created} versions and amendments created.")


def _adopted(charter, text, title, summary, rationale, *, closed_at, author, voters) -> int:
    """A charter-change decision already adopted, with its amendment applied as the next version."""
    if Decision.objects.filter(title=title, kind=Decision.Kind.CHARTER_CHANGE).exists():
        return 0
    base = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
    decision = adopted_in_the_past(
        title=title,
        kind=Decision.Kind.CHARTER_CHANGE,
        context=f"Modification de la charte, rédigée à partir de la version {base.number}.",
        proposal=f"{summary}\n\nPourquoi :\n\n{rationale}",
        author=author,
        voters=voters,
        closed_at=closed_at,
        votes_after=datetime.timedelta(days=1),
    )
    version = CharterVersion.objects.create(
        charter=charter,
        number=base.number + 1,
        text=text,
        created_at=closed_at,
        decision=decision,
        note=f"Adoptée par la décision : {title}",
    )
    Amendment.objects.create(
        decision=decision,
        charter=charter,
        base_version=base,
        proposed_text=text,
        rationale=rationale,
        status=Amendment.Status.APPLIED,
        resulting_version=version,
    )
    return 1
