"""Demo data for the charter: a believable Charte des pratiques with its history.

Version 1 is the text the assembly wrote before using this site; versions 2 and 3 were adopted by
charter-change decisions (created here already closed, with their amendments applied); one more
amendment is open for discussion so that its diff shows on its decision page. `--scale large` takes
the history to 50 versions. Safe to run twice: what exists is found by its title, never duplicated.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from assembly.models import User
from decisions.models import Decision, RollEntry, Vote
from decisions.services import roll_fingerprint

from . import services
from .models import Amendment, CharterVersion

SMALL_VERSIONS = 3
REREAD_MARK = "_Charte relue collectivement"
LARGE_VERSIONS = 50

VERSION_1 = """La présente charte décrit comment fonctionne réellement l'Assemblée des Communs. Elle
n'est pas un règlement : elle dit ce que nous faisons, pour que chacune et chacun puisse s'y
retrouver et y prendre part.

## 1. Se réunir à un rythme connu

L'Assemblée se réunit une fois par mois, à une date annoncée longtemps à l'avance. Elle se tient
même quand peu de personnes viennent : la régularité compte plus que l'affluence.

Chaque assemblée commence par une courte plénière (tour de présentation, nouvelles des communs,
repas partagé), puis se poursuit en ateliers.

## 2. Des ateliers que chacun peut proposer

Toute personne peut proposer un atelier, sans demander d'autorisation. Les ateliers qui réunissent
des participantes et des participants ont lieu ; les autres attendent une prochaine fois.

## 3. Tout documenter

Chaque atelier laisse une trace écrite : qui était là, ce qui s'est dit, ce qui reste à faire. Les
comptes rendus sont publics et libres de réutilisation.

## 4. Être membre

Est membre toute personne qui a participé à deux assemblées dans les douze derniers mois et qui
le déclare. L'adhésion ne coûte rien ; elle se perd quand on cesse de venir.

## 5. Décider

Les membres prennent les quelques décisions formelles de l'Assemblée : dépenses, prises de
position publiques, modifications de cette charte.

## 6. Prendre soin

Nous prenons soin des personnes, des lieux qui nous accueillent et du matériel que nous
partageons. Chacun range, chacun accueille.
"""

VERSION_2 = (
    VERSION_1.replace(
        """## 3. Tout documenter""",
        """## 3. Accueillir les nouveaux venus

Un atelier d'initiation aux communs a lieu à chaque assemblée, animé à tour de rôle par des
membres. Personne ne doit repartir sans avoir compris ce qu'est un commun ni comment participer.

## 4. Tout documenter""",
    )
    .replace("## 4. Être membre", "## 5. Être membre")
    .replace("## 5. Décider", "## 6. Décider")
    .replace("## 6. Prendre soin", "## 7. Prendre soin")
)

VERSION_3 = VERSION_2.replace(
    """Les membres prennent les quelques décisions formelles de l'Assemblée : dépenses, prises de
position publiques, modifications de cette charte.""",
    """Les membres prennent les quelques décisions formelles de l'Assemblée : dépenses, prises de
position publiques, modifications de cette charte.

Nous décidons par consentement. Une discussion ouverte à toutes et tous dure sept jours et se
conclut par une proposition claire ; les membres votent ensuite pendant sept jours. Une proposition
est adoptée quand aucune objection ne subsiste. Une objection doit être argumentée : elle dit ce
que la proposition mettrait en danger, pas seulement une préférence.""",
)

PENDING_TEXT = VERSION_3.replace(
    """## 7. Prendre soin""",
    """## 7. Ouverts à tous les communs

L'Assemblée est ouverte à tous les communs : jardins partagés, logiciels libres, habitats
participatifs, savoirs ouverts, tiers-lieux. Aucun commun n'y est plus légitime qu'un autre.

## 8. Prendre soin""",
)

ADOPTED = [
    # (version, title, summary, rationale, days ago)
    (
        VERSION_2,
        "Un atelier d'initiation aux communs à chaque assemblée",
        "Ajouter à la charte un atelier d'initiation tenu à chaque assemblée.",
        "Plusieurs personnes venues pour la première fois sont reparties sans avoir trouvé leur "
        "place. Un atelier d'initiation systématique leur donne une porte d'entrée.",
        420,
    ),
    (
        VERSION_3,
        "Décider par consentement, objections argumentées",
        "Écrire dans la charte comment nous décidons : discussion, proposition, consentement.",
        "Notre manière de décider n'était écrite nulle part ; les nouveaux membres la "
        "découvraient au moment de voter.",
        120,
    ),
]


def seed(scale: str, stdout) -> None:
    now = timezone.now()
    charter = services.ensure_default_charter()
    author = User.objects.filter(email="member@example.org").first()
    voters = list(User.objects.filter(email__in=["member@example.org", "facilitator@example.org"]))
    created = 0
    with transaction.atomic():
        if not CharterVersion.objects.filter(charter=charter).exists():
            CharterVersion.objects.create(
                charter=charter,
                number=1,
                text=VERSION_1,
                created_at=now - datetime.timedelta(days=730),
                note="Charte rédigée lors de l'assemblée fondatrice",
            )
            created += 1
        for text, title, summary, rationale, days_ago in ADOPTED:
            created += _adopted(
                charter,
                text,
                title,
                summary,
                rationale,
                closed_at=now - datetime.timedelta(days=days_ago),
                author=author,
                voters=voters,
            )
        if scale == "large":
            last = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
            for number in range(last.number + 1, LARGE_VERSIONS + 1):
                body = last.text.split(REREAD_MARK)[0].rstrip()
                text = f"{body}\n\n{REREAD_MARK} {number - SMALL_VERSIONS} fois depuis 2025._\n"
                created += _adopted(
                    charter,
                    text,
                    f"Relecture n° {number - SMALL_VERSIONS} de la charte",
                    "Préciser la forme de la charte.",
                    "Relecture annuelle.",
                    closed_at=now - datetime.timedelta(days=LARGE_VERSIONS + 10 - number),
                    author=author,
                    voters=voters,
                )
                last = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
        pending_title = "La charte ouverte à tous les communs"
        if author is not None and not Decision.objects.filter(title=pending_title).exists():
            services.propose_amendment(
                author=author,
                base_version=services.current_version(charter),
                title=pending_title,
                summary="Dire dans la charte que l'Assemblée est ouverte à tous les communs.",
                proposed_text=PENDING_TEXT,
                rationale="Des porteurs de communs numériques se demandent s'ils ont leur place "
                "parmi nous. La charte devrait le dire clairement.",
                now=now - datetime.timedelta(days=2),
            )
            created += 1
    stdout.write(f"Charter: {created} versions and amendments created.")


def _adopted(charter, text, title, summary, rationale, *, closed_at, author, voters) -> int:
    """A charter-change decision already adopted, with its amendment applied as the next version."""
    if Decision.objects.filter(title=title, kind=Decision.Kind.CHARTER_CHANGE).exists():
        return 0
    opened = closed_at - datetime.timedelta(days=14)
    vote_opens = closed_at - datetime.timedelta(days=7)
    base = CharterVersion.objects.filter(charter=charter).order_by("-number").first()
    decision = Decision.objects.create(
        title=title,
        kind=Decision.Kind.CHARTER_CHANGE,
        context=f"Modification de la charte, rédigée à partir de la version {base.number}.",
        proposal=f"{summary}\n\nPourquoi :\n\n{rationale}",
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
        roll_fingerprint=roll_fingerprint(str(voter.pk) for voter in voters),
        consent_count=len(voters),
        abstain_count=0,
        objection_count=0,
        # Its e-mails belong to the past: the periodic task must not send them now.
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
            cast_at=vote_opens + datetime.timedelta(days=1),
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
