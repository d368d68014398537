"""Automated accessibility check: axe-core (tests/e2e/vendor/axe.min.js, MPL-2.0) runs the WCAG 2 A
and AA rules on each key page, which must have no "serious" or "critical" violation: on a desktop
in French, and on a phone (390 px wide) in French and in English.

The browser context bypasses the CSP only so that the test can inject axe; the pages themselves
are served with their real policy.
"""

import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budget import services as budget_services
from decisions.models import Comment
from gatherings import services as gathering_services
from tests.budget.factories import adopted_line
from tests.chantiers.factories import chantier_with
from tests.charter.factories import add_version
from tests.commons_registry.factories import CommonsFactory, OstromAssessmentFactory
from tests.decisions.factories import MemberFactory, voting
from tests.e2e.conftest import PHONE
from tests.factories import FacilitatorFactory
from tests.federation.factories import NeighbourFactory
from tests.gatherings.factories import gathering as gathering_for
from tests.gatherings.factories import place
from tests.workshops.factories import (
    AttendanceFactory,
    MeetingFactory,
    PastMeetingFactory,
    SignupFactory,
    WorkshopFactory,
)
from workshops.models import Meeting

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

PAGES = [
    "/",
    "/commons/",
    "/commons/map/",
    "{commons}",
    "/meetings/",
    "{meeting}",
    "{workshop}",
    "/decisions/",
    "{decision}",
    "/charter/",
    "/charter/versions/",
    "/charter/diff/1/2/",
    "/people/",
    "/accounts/login/",
    "/accounts/signup/",
    "/budget/",
    "/chantiers/",
    "{chantier}",
    "/network/",
    "/search/?q=jardin",
    "/subscribe/",
    "{minutes}",
    "/gatherings/",
    "{gathering}",
    "{gathering}programme/",
    "{gathering_session}",
    "{poll}",
]
SIGNED_IN_PAGES = [
    "/me/", "{decision}", "{meeting}", "/budget/", "{chantier}", "{gathering}me/",
    "{gathering_session}",
]  # fmt: skip


def arrange():
    """A small assembly with one of everything the key pages show."""
    member = MemberFactory(email="axe@example.org", display_name="Alex Axe", listed=True)
    commons = CommonsFactory(name="Jardin des Axes")
    OstromAssessmentFactory(commons=commons)
    meeting = MeetingFactory(title="Assemblée des communs")
    workshop = WorkshopFactory(meeting=meeting, title="Cartopartie")
    workshop.related_commons.add(commons)
    SignupFactory(workshop=workshop, person=member)
    MeetingFactory(
        title="Assemblée annulée",
        starts_at=timezone.now() + datetime.timedelta(days=35),
        status=Meeting.Status.CANCELLED,
        cancellation_reason="La salle est fermée.",
    )
    AttendanceFactory(person=member, meeting=PastMeetingFactory(title="Assemblée passée"))
    decision = voting(
        title="Acheter un vélo cargo", now=timezone.now() - datetime.timedelta(days=1)
    )
    Comment.objects.create(
        decision=decision, author=member, text="Bonne idée.", created_at=timezone.now()
    )
    add_version()
    add_version()
    chantier = chantier_with(title="Jardin partagé des Axes", members=[member], cards=3)
    _ledger(chantier)
    NeighbourFactory(name="Assemblée de Valenbrune")
    past = PastMeetingFactory(title="Assemblée de novembre", plenary_notes="Nous avons **semé**.")
    WorkshopFactory(meeting=past, title="Grainothèque", notes="Cent sachets de graines.")
    gathering = gathering_for()
    session = place(gathering, "Plénière d'ouverture", track=gathering.tracks.get())
    gathering_services.register_for_session(session, member)
    poll = gathering_services.create_poll(
        by=member, title="Préparation", dates=[session.starts_at, session.ends_at]
    )
    gathering_services.answer_poll(
        poll, name="Alex", choices={date.pk: "yes" for date in poll.dates.all()}
    )
    return member, {
        "gathering": gathering.get_absolute_url(),
        "gathering_session": session.get_absolute_url(),
        "poll": poll.get_absolute_url(),
        "commons": commons.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "workshop": workshop.get_absolute_url(),
        "decision": decision.get_absolute_url(),
        "chantier": chantier.get_absolute_url(),
        "minutes": reverse("meetings:minutes", args=[past.pk]),
    }


def _ledger(chantier):
    """A budget line and a month of entries whose tables are wider than a phone."""
    facilitator = FacilitatorFactory()
    line = adopted_line(amount="1500.00", chantier=chantier)
    today = timezone.localdate()
    budget_services.record_income(
        by=facilitator, date=today, amount=Decimal("2000"),
        counterparty="Métropole européenne de Lille", description="Subvention de fonctionnement",
    )  # fmt: skip
    budget_services.record_expense(
        line, by=facilitator, date=today, amount=Decimal("120.50"),
        counterparty="Graineterie du Nord", description="Graines potagères et outils de jardin",
    )  # fmt: skip


def serious_violations(page, path, language):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    asked, shown = urlsplit(path), urlsplit(page.url)
    assert (shown.path, shown.query) == (asked.path, asked.query), f"{path} went to {page.url}"
    served = page.evaluate("document.documentElement.lang")
    assert served == language, f"{path} was served in {served}, not {language}"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
    )
    return [
        f"{path}: [{v['impact']}] {v['id']}: {v['help']}\n"
        + "\n".join(f"    {node['target']} {node['failureSummary']}" for node in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("phone", "locale"),
    [(False, "fr-FR"), (True, "fr-FR"), (True, "en-GB")],
    ids=["desktop-fr", "phone-fr", "phone-en"],
)
def test_key_pages_have_no_serious_accessibility_violation(browser, live_server, phone, locale):
    member, urls = arrange()
    client = Client()
    client.force_login(member)
    signed_in = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }

    problems = []
    for paths, cookies in ((PAGES, []), (SIGNED_IN_PAGES, [signed_in])):
        context = browser.new_context(
            locale=locale, base_url=live_server.url, bypass_csp=True, **(PHONE if phone else {})
        )
        context.add_cookies(cookies)
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            for path in paths:
                problems += serious_violations(page, path.format(**urls), language=locale[:2])
        finally:
            context.close()

    assert problems == [], "\n".join(problems)
