"""Budget lines made the only way the assembly makes them: a finance decision, adopted."""

import datetime
from decimal import Decimal

from django.utils import timezone

from budget import services
from decisions import services as decision_services
from tests.decisions.factories import MemberFactory
from tests.factories import UserFactory


def finance_proposal(*, amount="500.00", purpose="Graines et outils", chantier=None, now=None):
    now = now or timezone.now()
    return services.propose_finance_decision(
        author=UserFactory(),
        title="Acheter des graines",
        context="Le jardin en manque.",
        amount=Decimal(amount),
        purpose=purpose,
        chantier=chantier,
        valid_until=timezone.localdate(now) + datetime.timedelta(days=365),
        now=now,
    )


def adopted_line(*, amount="500.00", chantier=None, now=None, voter=None):
    """A finance decision discussed, voted (one consent) and closed: its budget line."""
    now = now or timezone.now()
    start = now - datetime.timedelta(days=14)
    voter = voter or MemberFactory()
    proposal = finance_proposal(amount=amount, chantier=chantier, now=start)
    decision = decision_services.open_vote(
        proposal.decision, now=start + datetime.timedelta(days=7)
    )
    decision_services.cast_vote(decision, voter=voter, choice="consent", now=start)
    decision_services.close_vote(decision, now=now)
    return decision.budget_line
