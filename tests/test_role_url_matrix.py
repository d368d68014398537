"""Who gets what at every address: the role × URL matrix, built from the URL configuration itself.

Every named route must have one entry in ROUTES: what a GET answers for each role. A new route
without an entry fails `test_every_route_has_an_entry`, naming it; add its line here, choosing the
answers on purpose. Answers: "200", "login" (sent to sign in), "403", "404", "405" (wrong method:
the route takes a POST), "302" (sent elsewhere, not to sign in).
"""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assembly import setup
from assembly.imports import engine as imports_engine
from assembly.imports.formats import Upload
from assembly.models import FACILITATORS_GROUP, Delivery, Subscriber, Topic
from assembly.notifications import subscriptions, topics
from budget import services as budget_services
from chantiers import services as chantier_services
from charter.models import DEFAULT_SLUG
from decisions import services as decision_services
from federation.models import Follower
from gatherings import services as gathering_services
from tests.charter.factories import add_version, amendment, default_charter
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion
from tests.factories import UserFactory
from tests.gatherings.factories import gathering as gathering_for
from tests.gatherings.factories import place as place_session
from tests.workshops.factories import MeetingFactory, WorkshopFactory
from workshops import notes

ROLES = ("anonymous", "participant", "member", "facilitator", "administrator")

# Sections that guard themselves with their own rules, and are not ours to list route by route.
SKIPPED_NAMESPACES = {
    "admin": "Django's admin checks is_staff and its own model permissions on every page",
}
SKIPPED_URLCONFS = {
    "allauth.urls": "django-allauth's sign-in, sign-up and e-mail pages are its own contract",
}


@dataclasses.dataclass(frozen=True)
class Route:
    """`args` names the object of the world whose keyword arguments fill the route."""

    answers: tuple[str, str, str, str, str]  # in the order of ROLES
    args: str | None = None


def everyone(answer="200", args=None):
    return Route((answer,) * 5, args)


def signed_in(answer="200", args=None):
    return Route(("login", answer, answer, answer, answer), args)


def facilitators(answer="200", args=None):
    return Route(("login", "403", "403", answer, answer), args)


def administrators(answer="200", args=None):
    return Route(("login", "403", "403", "403", answer), args)


# One entry per route; a name used by two routes (the charter's default document and the other
# documents) is told apart by its parameters: "charter:diff (a,b,slug)".
ROUTES = {
    # assembly: the composition root
    "home": everyone(),
    "healthz": everyone(),
    # The admin's door: the site's sign-in for strangers, straight in for staff, refused otherwise.
    "admin-login": Route(("login", "403", "403", "403", "302")),
    "robots-txt": everyone(),
    "me": signed_in(),
    "me-declare": signed_in("405"),
    "me-export": signed_in(),
    "me-delete": signed_in(),
    "people": everyone(),
    "search": everyone(),
    "people-members": facilitators(),
    "people-members-csv": facilitators(),
    "people-duplicates": facilitators(),
    "people-identity": facilitators(args="person"),
    "people-add-email": facilitators(args="person"),
    "people-merge": facilitators(args="merge"),
    "set_language": everyone("302"),
    # assembly: notifications (issue 11); a token is signed, so a forged one answers 400
    "me-notifications": signed_in(),
    "subscribe": everyone(),
    "subscribe-confirm": everyone(args="subscription"),
    "unsubscribe": everyone(args="unsubscription"),
    # assembly: the e-mail delivery log
    "deliveries:index": facilitators(),
    "deliveries:retry": facilitators("405", args="delivery"),
    # commons_registry
    "commons:directory": everyone(),
    "commons:map": everyone(),
    "commons:export-geojson": everyone(),
    "commons:export-csv": everyone(),
    "commons:choices": everyone(),
    "commons:export-gogocarto": everyone(),
    "commons:propose": signed_in(),
    "commons:moderation": facilitators(),
    "commons:detail": everyone(args="commons"),
    "commons:history": everyone(args="commons"),
    # the world's participant stewards the entry, so edits are theirs as well as facilitators'
    "commons:edit": Route(("login", "200", "403", "200", "200"), "commons"),
    "commons:assess": Route(("login", "200", "403", "200", "200"), "commons"),
    "commons:confirm": signed_in("405", args="commons"),
    "commons:moderate": facilitators("405", args="commons"),
    # workshops: meetings and venues
    "meetings:index": everyone(),
    "meetings:detail": everyone(args="meeting"),
    "meetings:ics": everyone(args="meeting"),
    "meetings:new": facilitators(),
    "meetings:edit": facilitators(args="meeting"),
    "meetings:cancel": facilitators(args="meeting"),
    "meetings:reinstate": facilitators("405", args="meeting"),
    "meetings:venues": facilitators(),
    "meetings:new-venue": facilitators(),
    "meetings:edit-venue": facilitators(args="venue"),
    "meetings:host": signed_in("405", args="meeting"),
    "meetings:notes": signed_in("405", args="meeting"),
    "meetings:notes-history": everyone(args="meeting"),
    "meetings:notes-diff": everyone(args="meeting_notes_diff"),
    "meetings:minutes": everyone(args="meeting"),
    "meetings:minutes-markdown": facilitators(args="meeting"),
    "meetings:attendance": facilitators(args="meeting"),
    # a workshop's hosts tick its participants too (POST only, on the meeting's day)
    "meetings:tick": signed_in("405", args="meeting"),
    "meetings:tick-all": facilitators(args="meeting_workshop"),
    "meetings:door-worker": everyone(),
    "meetings:walk-in": facilitators("405", args="meeting"),
    # workshops: the workshop pages
    "workshops:propose": signed_in("404"),  # without ?meeting= there is nothing to propose for
    "workshops:detail": everyone(args="workshop"),
    # the world's participant proposed the workshop: it is theirs to edit
    "workshops:edit": Route(("login", "200", "403", "200", "200"), "workshop"),
    "workshops:hide": facilitators("405", args="workshop"),
    "workshops:notes": signed_in("405", args="workshop"),
    "workshops:sign-up": everyone("405", args="workshop"),
    "workshops:notes-history": everyone(args="workshop"),
    "workshops:notes-diff": everyone(args="workshop_notes_diff"),
    # calendars
    "calendar:public": everyone(),
    "calendar:private": everyone(args="calendar"),
    "calendar:revoke": signed_in("405"),
    # decisions
    "decisions:list": everyone(),
    "decisions:new": signed_in(),
    "decisions:detail": everyone(args="decision"),
    "decisions:minutes": everyone(args="decision"),
    # the world's participant wrote the decision: the proposal form is theirs
    "decisions:proposal": Route(("login", "200", "403", "403", "403"), "decision"),
    "decisions:vote": everyone("405", args="decision"),
    "decisions:comment": everyone("405", args="decision"),
    "decisions:withdraw": everyone("405", args="decision"),
    "decisions:statement": everyone("405", args="decision"),
    "decisions:new-round": Route(("login", "403", "403", "403", "403"), "decision"),
    # the world's participant wrote the comment, a minute ago: editing it is theirs
    "decisions:comment-edit": Route(("login", "200", "302", "302", "302"), "comment"),
    "decisions:comment-hide": facilitators("405", args="comment"),
    # charter: the default document, and any document by its slug
    "charter:current (no parameter)": everyone(),
    "charter:versions (no parameter)": everyone(),
    "charter:version (number)": everyone(args="version"),
    "charter:pick-diff (no parameter)": everyone("302"),
    "charter:diff (a,b)": everyone(args="diff"),
    "charter:amend (no parameter)": signed_in(),
    "charter:current (slug)": everyone(args="document"),
    "charter:versions (slug)": everyone(args="document"),
    "charter:version (number,slug)": everyone(args="document_version"),
    "charter:pick-diff (slug)": everyone("302", args="document"),
    "charter:diff (a,b,slug)": everyone(args="document_diff"),
    "charter:amend (slug)": signed_in(args="document"),
    "charter:conflicts": facilitators(),
    "charter:conflict": facilitators(args="amendment"),
    # chantiers: the world's participant started the chantier, so they coordinate it
    "chantiers:list": everyone(),
    "chantiers:new": signed_in(),
    "chantiers:detail": everyone(args="chantier"),
    "chantiers:edit": Route(("login", "200", "403", "200", "200"), "chantier"),
    "chantiers:join": signed_in("405", args="chantier"),
    "chantiers:leave": signed_in("405", args="chantier"),
    "chantiers:link-workshop": signed_in("405", args="chantier"),
    "chantiers:card-new": signed_in("405", args="chantier"),
    "chantiers:card": everyone(args="card"),
    "chantiers:card-move": signed_in("405", args="card"),
    # budget (public by default in the configuration); the world's entry has no receipt
    # imports (/settings/imports/): administrators only; the world's batch is pending
    "imports:index": administrators(),
    "imports:new": administrators(args="import_kind"),
    "imports:batch": administrators(args="import_batch"),
    "imports:mapping": administrators("405", args="import_batch"),
    "imports:apply": administrators("405", args="import_batch"),
    "imports:errors": administrators(args="import_batch"),
    "imports:undo": administrators("405", args="import_batch"),
    "imports:abandon": administrators("405", args="import_batch"),
    # what follows an applied import: a page saying what and to whom, then POST
    "import-follow-ups:invite": administrators(args="people_batch"),
    "import-follow-ups:notice": administrators(args="subscribers_batch"),
    "budget:index": everyone(),
    "budget:bilan": everyone(args="year"),
    "budget:export-csv": everyone(),
    "budget:income-new": facilitators(),
    "budget:expense-new": facilitators(),
    "budget:entry-reverse": facilitators(args="entry"),
    "budget:receipt": signed_in("404", args="entry"),
    "budget:propose": signed_in(),
    # Atom feeds
    "feeds:agenda": everyone(),
    "feeds:decisions": everyone(),
    "feeds:commons": everyone(),
    # federation: what we publish, and the neighbours we follow
    "assemblee-json": everyone(),
    "network:index": everyone(),
    "network:export-geojson": everyone(),
    "network:meetings": everyone(),
    # The fediverse: administrators switch it and see its followers (personal data of a kind).
    "network:fediverse": administrators(),
    "network:forget-follower": administrators("405", args="follower"),
    "network:follower-export": administrators(args="follower"),
    # Switched off in this world, so nothing says the assembly is on the fediverse.
    "activitypub:webfinger": everyone("404"),
    "activitypub:nodeinfo-links": everyone("404"),
    "activitypub:nodeinfo": everyone("404"),
    "activitypub:actor": everyone("404"),
    "activitypub:inbox": everyone("405"),
    "activitypub:outbox": everyone("404"),
    "activitypub:followers": everyone("404"),
    # moving in (issue 22): the wizard and the settings are the administrators'; the one-time
    # set-up link is anyone's who holds it (an administrator already is one: sent to /setup/)
    "setup:index": administrators(),
    "setup:identity": administrators(),
    "setup:rhythm": administrators(),
    "setup:rules": administrators(),
    "setup:facilitators": administrators(),
    "setup:email": administrators(),
    "setup:done": administrators(),
    "setup:claim": Route(("200", "200", "200", "200", "302"), "setup_link"),
    "settings:index": administrators(),
    "settings:identity": administrators(),
    "settings:rules": administrators(),
    "settings:rhythm": administrators(),
    "settings:facilitators": administrators(),
    "settings:email": administrators(),
    "settings:categories": administrators(),
    "settings:category-new": administrators(),
    "settings:category": administrators(args="category"),
    "settings:dismiss-checklist": administrators("405"),
    # gatherings: the world's participant organises the world's gathering (a role for that
    # gathering only: facilitators and administrators are not its organisers)
    "gatherings:list": everyone(),
    "gatherings:new": facilitators(),
    "gatherings:programme-worker": everyone(),
    "gatherings:detail": everyone(args="gathering"),
    "gatherings:edit": Route(("login", "200", "403", "403", "403"), "gathering"),
    "gatherings:register": signed_in("405", args="gathering"),
    "gatherings:programme": everyone(args="gathering"),
    "gatherings:programme-ics": everyone(args="gathering"),
    "gatherings:changes": everyone(args="gathering"),
    "gatherings:propose": signed_in(args="gathering"),
    "gatherings:me": signed_in(args="gathering"),
    # the private feed answers whoever holds its token
    "gatherings:me-ics": everyone(args="gathering_feed"),
    "gatherings:volunteer": signed_in(args="gathering"),
    "gatherings:minutes": everyone(args="gathering"),
    "gatherings:minutes-history": everyone(args="gathering"),
    "gatherings:organise": Route(("login", "200", "403", "403", "403"), "gathering"),
    "gatherings:organise-site": signed_in("405", args="gathering"),
    "gatherings:organise-room": signed_in("405", args="gathering"),
    "gatherings:organise-track": signed_in("405", args="gathering"),
    "gatherings:organise-format": signed_in("405", args="gathering"),
    "gatherings:organise-organiser": signed_in("405", args="gathering"),
    "gatherings:organise-publish": signed_in("405", args="gathering"),
    "gatherings:organise-desk": signed_in("405", args="gathering"),
    "gatherings:organise-walk": Route(("login", "200", "403", "403", "403"), "gathering"),
    "gatherings:organise-walk-change": signed_in("405", args="gathering_walk"),
    "gatherings:session": everyone(args="gathering_session"),
    "gatherings:session-edit": Route(("login", "200", "403", "403", "403"), "gathering_session"),
    "gatherings:session-register": signed_in("405", args="gathering_session"),
    "gatherings:session-review": signed_in("405", args="gathering_session"),
    "gatherings:session-place": signed_in("405", args="gathering_session"),
    "gatherings:session-assign": signed_in("405", args="gathering_session"),
    "gatherings:session-split": signed_in("405", args="gathering_session"),
    "gatherings:session-notes": signed_in("405", args="gathering_session"),
    "gatherings:session-notes-history": everyone(args="gathering_session"),
    # date polls: anyone with the link answers; only their creator closes them
    "polls:list": signed_in(),
    "polls:detail": everyone(args="poll"),
    "polls:close": signed_in("405", args="poll"),
    "polls:meeting": signed_in("405", args="poll"),
}


def _walk(resolver, namespaces=(), prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            if getattr(pattern.urlconf_module, "__name__", None) in SKIPPED_URLCONFS:
                continue
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name)), prefix + str(pattern.pattern)


def named_routes() -> dict[str, tuple[str, frozenset]]:
    """Every named route: key → (name to reverse, its parameters)."""
    found = [(name, frozenset(parameters_of(route))) for name, route in _walk(get_resolver())]
    names = [name for name, _ in found]
    routes = {}
    for name, parameters in found:
        key = name
        if names.count(name) > 1:
            key = f"{name} ({','.join(sorted(parameters)) or 'no parameter'})"
        routes[key] = (name, parameters)
    return routes


def parameters_of(route: str) -> list[str]:
    return [part.split(">")[0].split(":")[-1] for part in route.split("<")[1:]]


def test_every_route_has_an_entry():
    missing = sorted(set(named_routes()) - set(ROUTES))
    assert not missing, (
        "These routes have no line in ROUTES (tests/test_role_url_matrix.py); add one saying "
        f"what each role gets: {', '.join(missing)}"
    )


def test_every_entry_is_a_route():
    stale = sorted(set(ROUTES) - set(named_routes()))
    assert not stale, f"These ROUTES entries name no route any more: {', '.join(stale)}"


def _world():
    """One of everything a route can point at, with a participant who owns their own things."""
    participant = UserFactory()
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting, proposed_by=participant)
    commons = CommonsFactory(stewards=[participant])
    decision = discussion(participant)
    comment = decision_services.add_comment(decision, author=participant, text="A first thought.")
    charter = default_charter()
    first, second = add_version(charter), add_version(charter)
    conflict = amendment(second, text=second.text + "\nUne nouvelle règle.\n")
    delivery = Delivery.objects.create(
        person=participant, topic="t", kind="k", state=Delivery.State.FAILED
    )
    meeting_revision = notes.latest_revision_id(meeting)
    workshop_revision = notes.latest_revision_id(workshop)
    subscriber = Subscriber.objects.create(email="info@example.org", language="fr")
    chantier = chantier_services.start_chantier(by=participant, title="Four à pain")
    card = chantier_services.add_card(chantier, by=participant, title="Trouver des briques")
    people = {
        "participant": participant,
        "member": MemberFactory(),
        "facilitator": UserFactory(),
        "administrator": UserFactory(is_superuser=True, is_staff=True),
    }
    people["facilitator"].groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    walk_in = UserFactory(email=None, display_name="Walk-in")
    follower = Follower.objects.create(
        actor_url="https://social.example/users/alice",
        inbox_url="https://social.example/users/alice/inbox",
    )
    entry = budget_services.record_income(
        by=people["facilitator"],
        date=datetime.date(2026, 3, 1),
        amount=Decimal("500.00"),
        counterparty="Métropole",
    )
    pending = imports_engine.keep_pending(
        "commons", [Upload("communs.csv", b"name,summary\nJardin,Un jardin.\n")], None
    )
    people_batch = imports_engine.apply(
        imports_engine.plan(
            "people", [Upload("personnes.csv", b"name,email\nImported,imported@example.org\n")]
        ),
        None,
    )
    subscribers_batch = imports_engine.apply(
        imports_engine.plan("subscribers", [Upload("liste.txt", b"list@example.org\n")]), None
    )
    gathering = gathering_for(organiser=participant)
    session = place_session(gathering, "Plénière")
    walk = gathering_services.add_parcours(gathering, "Parcours", [])
    poll = gathering_services.create_poll(
        by=participant, title="Préparation", dates=[session.starts_at]
    )
    objects = {
        "import_kind": {"kind": "commons"},
        "people_batch": {"pk": people_batch.pk},
        "subscribers_batch": {"pk": subscribers_batch.pk},
        "import_batch": {"pk": pending.pk},
        "gathering": {"slug": gathering.slug},
        "gathering_feed": {"slug": gathering.slug, "token": participant.calendar_token},
        "gathering_session": {"slug": gathering.slug, "pk": session.pk},
        "gathering_walk": {"slug": gathering.slug, "pk": walk.pk},
        "poll": {"pk": poll.pk},
        "person": {"pk": walk_in.pk},
        "merge": {"kept": participant.pk, "merged": walk_in.pk},
        "meeting": {"pk": meeting.pk},
        "venue": {"pk": meeting.venue_id},
        "workshop": {"pk": workshop.pk},
        "meeting_workshop": {"pk": meeting.pk, "workshop_pk": workshop.pk},
        "delivery": {"pk": delivery.pk},
        "follower": {"pk": follower.pk},
        "calendar": {"token": participant.calendar_token},
        "commons": {"slug": commons.slug},
        "decision": {"pk": decision.pk},
        "comment": {"pk": comment.pk},
        "version": {"number": first.number},
        "diff": {"a": first.number, "b": second.number},
        "document": {"slug": DEFAULT_SLUG},
        "document_version": {"slug": DEFAULT_SLUG, "number": first.number},
        "document_diff": {"slug": DEFAULT_SLUG, "a": first.number, "b": second.number},
        "amendment": {"pk": conflict.pk},
        "chantier": {"pk": chantier.pk},
        "card": {"pk": chantier.pk, "card": card.pk},
        "year": {"year": 2026},
        "entry": {"pk": entry.pk},
        "meeting_notes_diff": {"pk": meeting.pk, "a": meeting_revision, "b": meeting_revision},
        "workshop_notes_diff": {"pk": workshop.pk, "a": workshop_revision, "b": workshop_revision},
        "subscription": {"token": subscriptions.confirmation_token(subscriber)},
        "unsubscription": {"token": topics.unsubscribe_token(participant, Topic.ASSEMBLIES)},
        "setup_link": {"token": setup.create_setup_link().rstrip("/").rsplit("/", 1)[1]},
        "category": {"pk": commons.category_id},
    }
    return people, objects


def answer_of(response) -> str:
    if response.status_code == 302:
        login = reverse("account_login")
        return "login" if response["Location"].startswith(login) else "302"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_the_matrix_says(client, role):
    people, objects = _world()
    if role != "anonymous":
        client.force_login(people[role])
    routes = named_routes()
    wrong = []
    for key, expected in ROUTES.items():
        if key not in routes:
            continue  # test_every_entry_is_a_route names it
        name, _parameters = routes[key]
        url = reverse(name, kwargs=objects[expected.args] if expected.args else None)
        answer = answer_of(client.get(url))
        wanted = expected.answers[ROLES.index(role)]
        if answer != wanted:
            wrong.append(f"{key} ({url}): expected {wanted}, got {answer}")
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)
