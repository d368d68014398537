import datetime
import re
from pathlib import Path

import pytest
from django.template import RequestContext, Template
from django.utils import timezone, translation
from django.utils.formats import date_format

from commons_registry.models import Commons
from decisions import extensions, filters, services
from decisions.models import Comment, Decision, Vote
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import FacilitatorFactory, UserFactory

DAY = datetime.timedelta(days=1)
ROLES = [
    "anonymous",
    "participant",
    "author",
    "member_on_roll",
    "member_not_on_roll",
    "facilitator",
]


@pytest.fixture
def cast(db):
    """One person in each role around one decision whose vote is open."""
    on_roll = MemberFactory()
    author = UserFactory()
    decision = voting(author, now=timezone.now() - DAY)
    return {
        "decision": decision,
        "anonymous": None,
        "participant": UserFactory(),
        "author": author,
        "member_on_roll": on_roll,
        "member_not_on_roll": MemberFactory(),  # became a member after the vote opened
        "facilitator": FacilitatorFactory(),
    }


def people_around(author):
    """One person in each role around a decision by `author` (no vote open, so nobody is on a roll)."""
    return {
        "anonymous": None,
        "participant": UserFactory(),
        "author": author,
        "member_on_roll": MemberFactory(),
        "member_not_on_roll": MemberFactory(),
        "facilitator": FacilitatorFactory(),
    }


def as_role(client, cast, role):
    if cast[role] is not None:
        client.force_login(cast[role])
    return client


# --- Permission matrix ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "Sign in to vote"),
        ("participant", "you were not a member when the vote opened"),
        ("author", "you were not a member when the vote opened"),
        ("member_on_roll", "You are on the electoral roll"),
        ("member_not_on_roll", "you were not a member when the vote opened"),
        ("facilitator", "you were not a member when the vote opened"),
    ],
)
def test_detail_tells_each_role_why_they_can_or_cannot_vote(client, cast, role, expected, settings):
    settings.LANGUAGE_CODE = "en"
    response = as_role(client, cast, role).get(
        cast["decision"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert expected in body
    assert ('name="choice"' in body) == (role == "member_on_roll")


@pytest.mark.parametrize(
    ("role", "status", "votes"),
    [
        ("anonymous", 302, 0),
        ("participant", 302, 0),
        ("author", 302, 0),
        ("member_on_roll", 302, 1),
        ("member_not_on_roll", 302, 0),
        ("facilitator", 302, 0),
    ],
)
def test_vote_only_counts_for_members_on_roll(client, cast, role, status, votes):
    url = f"/decisions/{cast['decision'].pk}/vote/"
    response = as_role(client, cast, role).post(url, {"choice": "consent"})
    assert response.status_code == status
    assert Vote.objects.count() == votes
    if role == "anonymous":
        assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("participant", 200),
        ("author", 200),
        ("member_on_roll", 200),
        ("member_not_on_roll", 200),
        ("facilitator", 200),
    ],
)
def test_new_discussion_page_needs_sign_in(client, cast, role, status):
    response = as_role(client, cast, role).get("/decisions/new/")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status", "changed"),
    [
        ("anonymous", 302, False),
        ("participant", 403, False),
        ("author", 302, True),
        ("member_on_roll", 403, False),
        ("member_not_on_roll", 403, False),
        ("facilitator", 403, False),
    ],
)
def test_proposal_only_by_author(client, db, role, status, changed):
    author = UserFactory()
    cast = people_around(author)
    decision = discussion(author)
    response = as_role(client, cast, role).post(
        f"/decisions/{decision.pk}/proposal/", {"text": "We do it."}
    )
    assert response.status_code == status
    decision.refresh_from_db()
    assert (decision.proposal == "We do it.") == changed


@pytest.mark.parametrize(
    ("role", "status", "withdrawn"),
    [
        ("anonymous", 302, False),
        ("participant", 403, False),
        ("author", 302, True),
        ("member_on_roll", 403, False),
        ("facilitator", 302, True),
    ],
)
def test_withdraw_by_author_or_facilitator(client, db, role, status, withdrawn):
    author = UserFactory()
    cast = people_around(author)
    decision = discussion(author)
    response = as_role(client, cast, role).post(f"/decisions/{decision.pk}/withdraw/")
    assert response.status_code == status
    decision.refresh_from_db()
    assert (decision.phase == Decision.Phase.WITHDRAWN) == withdrawn


@pytest.mark.parametrize(
    ("role", "status", "comments"),
    [
        ("anonymous", 302, 0),
        ("participant", 302, 1),
        ("author", 302, 1),
        ("member_on_roll", 302, 1),
        ("facilitator", 302, 1),
    ],
)
def test_comment_by_anyone_signed_in(client, db, role, status, comments):
    author = UserFactory()
    cast = people_around(author)
    decision = discussion(author)
    response = as_role(client, cast, role).post(
        f"/decisions/{decision.pk}/comments/", {"text": "I agree"}
    )
    assert response.status_code == status
    assert Comment.objects.count() == comments


@pytest.mark.parametrize(
    ("role", "status", "hidden"),
    [
        ("anonymous", 302, False),
        ("participant", 403, False),
        ("author", 403, False),
        ("facilitator", 302, True),
    ],
)
def test_hide_comment_only_by_facilitator(client, db, role, status, hidden):
    author = UserFactory()
    cast = people_around(author)
    decision = discussion(author)
    comment = services.add_comment(decision, author=cast["participant"], text="Buy my stuff")
    response = as_role(client, cast, role).post(f"/decisions/comments/{comment.pk}/hide/")
    assert response.status_code == status
    comment.refresh_from_db()
    assert comment.hidden == hidden


@pytest.mark.django_db
def test_hidden_comment_is_not_shown_to_participants(client, facilitator):
    decision = discussion()
    comment = services.add_comment(decision, author=UserFactory(), text="Buy my stuff")
    services.hide_comment(comment, by=facilitator)
    assert "Buy my stuff" not in client.get(decision.get_absolute_url()).content.decode()
    client.force_login(facilitator)
    assert "Buy my stuff" in client.get(decision.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("participant", 403),
        ("author", 200),
        ("member_on_roll", 403),
        ("facilitator", 403),
    ],
)
def test_new_round_only_by_author_after_not_adopted(client, db, role, status):
    author = UserFactory()
    cast = people_around(author)
    member = cast["member_on_roll"]  # a member before the vote opens, so on its roll
    decision = voting(author, now=timezone.now() - 8 * DAY)
    services.cast_vote(
        decision, voter=member, choice="object", reason="Too dear", now=timezone.now() - 7 * DAY
    )
    services.close_vote(decision, now=timezone.now())

    response = as_role(client, cast, role).get(f"/decisions/{decision.pk}/new-round/")

    assert response.status_code == status
    if status == 200:
        assert decision.proposal in response.content.decode()  # prefilled


@pytest.mark.django_db
def test_new_round_post_links_to_previous(client):
    author, member = UserFactory(), MemberFactory()
    decision = voting(author, now=timezone.now() - 8 * DAY)
    services.cast_vote(
        decision, voter=member, choice="object", reason="No", now=timezone.now() - 7 * DAY
    )
    services.close_vote(decision, now=timezone.now())
    client.force_login(author)

    response = client.post(
        f"/decisions/{decision.pk}/new-round/",
        {"title": "Round two", "context": "", "proposal": "Cheaper bike"},
    )

    again = Decision.objects.get(title="Round two")
    assert response.status_code == 302
    assert (again.previous_round, again.kind, again.proposal) == (
        decision,
        decision.kind,
        "Cheaper bike",
    )


# --- Forms ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_objection_without_reason_shows_a_form_error(client, member, settings):
    settings.LANGUAGE_CODE = "en"
    decision = voting(now=timezone.now())
    client.force_login(member)
    response = client.post(
        f"/decisions/{decision.pk}/vote/",
        {"choice": "object", "reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "An objection needs a reason" in response.content.decode()
    assert Vote.objects.count() == 0


@pytest.mark.django_db
def test_open_discussion_form_creates_a_decision(person_client, person):
    response = person_client.post(
        "/decisions/new/",
        {
            "title": "Join the regional network",
            "kind": "position",
            "context": "Why",
            "proposal": "",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == decision.get_absolute_url()
    assert (decision.author, decision.kind, decision.phase) == (person, "position", "discussion")


@pytest.mark.django_db
def test_comment_edit_page_after_15_minutes_redirects(client, person):
    decision = discussion()
    comment = services.add_comment(
        decision, author=person, text="Typo", now=timezone.now() - datetime.timedelta(minutes=16)
    )
    client.force_login(person)
    response = client.post(f"/decisions/comments/{comment.pk}/edit/", {"text": "Fixed"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.text == "Typo"


@pytest.mark.django_db
def test_comment_edit_within_15_minutes(client, person):
    decision = discussion()
    comment = services.add_comment(decision, author=person, text="Typo")
    client.force_login(person)
    client.post(f"/decisions/comments/{comment.pk}/edit/", {"text": "Fixed"})
    comment.refresh_from_db()
    assert (comment.text, comment.edited_at is not None) == ("Fixed", True)


@pytest.mark.django_db
def test_list_filters_by_phase_and_kind(client):
    discussion(title="Bike", kind="finance")
    discussion(title="Statement", kind="position")
    voting(title="Vote on bike", kind="finance")

    body = client.get("/decisions/?phase=discussion&kind=finance").content.decode()

    assert "Bike" in body and "Statement" not in body and "Vote on bike" not in body


@pytest.mark.django_db
def test_minutes_shows_roll_fingerprint_and_counts(client, member):
    decision = voting(now=timezone.now() - 8 * DAY)
    services.cast_vote(decision, voter=member, choice="consent", now=timezone.now() - 7 * DAY)
    services.close_vote(decision, now=timezone.now())

    body = client.get(f"/decisions/{decision.pk}/minutes/").content.decode()

    assert decision.roll_fingerprint in body
    assert "minutes-print.css" in body


@pytest.mark.django_db
def test_detail_section_registry_renders_extra_content(client, settings):

    templates = Path(__file__).parent / "templates"
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], templates]}
    ]

    def section(decision, request):
        return {"template": "decisions/_test_section.html", "context": {"word": "diff-here"}}

    extensions.register_detail_section(Decision.Kind.CHARTER_CHANGE, section)
    try:
        decision = discussion(kind=Decision.Kind.CHARTER_CHANGE)
        other = discussion(kind=Decision.Kind.FINANCE)
        assert "diff-here" in client.get(decision.get_absolute_url()).content.decode()
        assert "diff-here" not in client.get(other.get_absolute_url()).content.decode()
    finally:
        extensions._sections[Decision.Kind.CHARTER_CHANGE].remove(section)


@pytest.mark.parametrize(
    ("role", "status", "saved"),
    [
        ("anonymous", 302, False),
        ("participant", 403, False),
        ("author", 403, False),
        ("facilitator", 302, True),
    ],
)
def test_outcome_statement_only_by_facilitators(client, db, role, status, saved):
    author = UserFactory()
    cast = people_around(author)
    decision = voting(author, now=timezone.now() - 8 * DAY)
    services.close_vote(decision, now=timezone.now())

    response = as_role(client, cast, role).post(
        f"/decisions/{decision.pk}/statement/",
        {"outcome_statement": "Bought in May.", "review_on": "2027-06-01"},
    )

    assert response.status_code == status
    decision.refresh_from_db()
    assert (decision.outcome_statement == "Bought in May.") == saved
    assert decision.outcome == "adopted"


@pytest.mark.django_db
def test_a_refused_statement_says_which_field_was_wrong(client, facilitator):
    # It used to blame the review date whatever the mistake (found by tests/fuzz).
    decision = voting(now=timezone.now() - 8 * DAY)
    services.close_vote(decision, now=timezone.now())
    client.force_login(facilitator)
    response = client.post(
        f"/decisions/{decision.pk}/statement/",
        {"outcome_statement": "Bought\x00 in May.", "review_on": "2027-06-01"},
        follow=True,
    )
    said = [str(message) for message in response.context["messages"]]
    assert any("Le caractère nul n’est pas autorisé." in message for message in said), said
    assert not any("réexamen" in message for message in said), said
    decision.refresh_from_db()
    assert decision.outcome_statement == ""


@pytest.mark.django_db
def test_statement_before_the_close_is_refused(facilitator):
    decision = voting()
    with pytest.raises(services.DecisionError):
        services.record_statement(decision, by=facilitator, statement="Too early")


@pytest.mark.django_db
def test_detail_shows_every_version_of_the_proposal(client):
    decision = discussion(proposal="First text")
    services.publish_proposal(decision, by=decision.author, text="Second text")
    body = client.get(decision.get_absolute_url()).content.decode()
    assert "First text" in body and "Second text" in body
    assert "2 versions of the proposal" in body or "2 versions de la proposition" in body


@pytest.mark.django_db
def test_home_partial_lists_open_decisions_only(rf):

    open_one = discussion(title="Still open")
    closed = voting(title="Already closed", now=timezone.now() - 8 * DAY)
    services.close_vote(closed, now=timezone.now())

    html = Template("{% load decisions_home %}{% decisions_home_section open_decisions %}").render(
        RequestContext(rf.get("/"), {"open_decisions": services.open_decisions()[:5]})
    )

    assert open_one.title in html and closed.title not in html


@pytest.mark.django_db
def test_admin_lists_and_shows_decisions(admin_client):
    decision = voting()
    assert admin_client.get("/admin/decisions/decision/").status_code == 200
    assert admin_client.get(f"/admin/decisions/decision/{decision.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_admin_cannot_revert_a_closed_decision_to_an_earlier_version(admin_client, member):
    decision = voting(now=timezone.now() - 8 * DAY)
    services.cast_vote(decision, voter=member, choice="consent", now=timezone.now() - 7 * DAY)
    services.close_vote(decision, now=timezone.now())
    while_voting = decision.history.filter(phase="voting").earliest("history_date")
    url = f"/admin/decisions/decision/{decision.pk}/history/{while_voting.history_id}/"

    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    response = admin_client.post(url, {"title": decision.title, "context": "", "_save": "1"})

    assert page.status_code == 200
    assert f"View {decision.title}" in page.content.decode()  # not "Revert …"
    assert response.status_code == 403
    decision.refresh_from_db()
    assert (decision.phase, decision.outcome, decision.context) == (
        "closed",
        "adopted",
        "Why we need it.",
    )


@pytest.mark.django_db
def test_new_discussion_offers_published_commons_to_search(client):
    CommonsFactory(name="Jardin publié")
    CommonsFactory(name="Jardin en attente", state=Commons.State.PROPOSED)
    client.force_login(UserFactory())

    page = client.post(
        "/decisions/new/",
        {"title": "Un four", "related_commons_q": "jardin", "_picker": "related_commons"},
    ).content.decode()

    assert 'type="checkbox" name="related_commons"' in page
    assert "Jardin publié" in page
    assert "Jardin en attente" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("chosen", ["9223372036854775808", "-9223372036854775809", "9" * 400])
def test_a_related_commons_id_no_database_holds_is_refused_on_the_form(client, chosen):
    # SQLite raised OverflowError (a 500) on ids past 64 bits (found by tests/fuzz).
    CommonsFactory()
    client.force_login(UserFactory())
    response = client.post(
        "/decisions/new/", {"title": "Un four", "kind": "other", "related_commons": chosen}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["related_commons"][0].startswith("Sélectionnez")
    assert not Decision.objects.exists()


# --- What a person reads on the decision page and in the log -------------------------------------


@pytest.mark.django_db
def test_detail_during_vote_shows_live_counts_turnout_fingerprint_and_objections(client, settings):
    settings.LANGUAGE_CODE = "en"
    voters = MemberFactory.create_batch(4)
    decision = voting(now=timezone.now() - DAY)
    services.cast_vote(decision, voter=voters[0], choice="consent")
    services.cast_vote(decision, voter=voters[1], choice="object", reason="The *price* is wrong")

    body = client.get(decision.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "2 votes out of 4 (50.0 %)" in body
    assert "1 consent · 0 abstain · 1 object" in body
    assert decision.roll_fingerprint in body
    assert "The <em>price</em> is wrong" in body


@pytest.mark.django_db
def test_detail_links_the_related_commons_by_name_and_the_rounds_before_and_after(client):
    author, member = UserFactory(), MemberFactory()
    first = voting(author, now=timezone.now() - 8 * DAY)
    services.cast_vote(
        first, voter=member, choice="object", reason="No", now=timezone.now() - 7 * DAY
    )
    services.close_vote(first, now=timezone.now())
    garden, bakery = CommonsFactory(name="Garden & co"), CommonsFactory(name="Bakery")
    first.related_commons.set([garden, bakery])
    second = services.start_new_round(first, by=author, title="Round two", proposal="Cheaper")

    before = client.get(first.get_absolute_url()).content.decode()
    after = client.get(second.get_absolute_url()).content.decode()

    commons = (
        f'<dd><a href="/commons/{bakery.slug}/">Bakery</a>, '
        f'<a href="/commons/{garden.slug}/">Garden &amp; co</a></dd>'
    )
    assert commons in before
    assert f'<dd><a href="/decisions/{second.pk}/">Round two</a></dd>' in before
    assert commons in after
    assert f'<dd><a href="/decisions/{first.pk}/">{first.title}</a></dd>' in after


@pytest.mark.django_db
def test_log_shows_a_closed_decisions_dates_roll_turnout_counts_and_outcome(client, settings):
    settings.LANGUAGE_CODE = "en"
    voters = MemberFactory.create_batch(4)
    opened = timezone.now() - 8 * DAY
    decision = voting(title="Buy a cargo bike", now=opened)
    services.cast_vote(decision, voter=voters[0], choice="consent", now=opened + DAY)
    services.cast_vote(decision, voter=voters[1], choice="abstain", now=opened + DAY)
    services.cast_vote(decision, voter=voters[2], choice="object", reason="No", now=opened + DAY)
    closed = services.close_vote(decision, now=timezone.now())

    response = client.get("/decisions/?phase=closed", HTTP_ACCEPT_LANGUAGE="en")

    row = next(
        tr for tr in response.content.decode().split("<tr>") if "Buy a cargo bike" in tr
    ).split("</tr>")[0]
    cells = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in row.split("<td>")
    ]
    assert "Not adopted" in cells[2]
    assert cells[3] == (
        f"vote {date_format(timezone.localtime(closed.vote_opens_at), 'SHORT_DATE_FORMAT')} – "
        f"{date_format(timezone.localtime(closed.closed_at), 'SHORT_DATE_FORMAT')}"
    )
    assert cells[4:] == ["4", "75.0 %", "1 / 1 / 1"]


@pytest.mark.django_db
def test_comment_is_rendered_as_safe_markdown(client):
    decision = discussion()
    services.add_comment(
        decision, author=UserFactory(), text="I **agree**. <script>alert(1)</script>"
    )

    body = client.get(decision.get_absolute_url()).content.decode()

    assert "<strong>agree</strong>" in body
    assert "<script>alert(1)</script>" not in body


@pytest.mark.django_db
def test_list_filter_form_shows_each_requests_choice_and_language(client):
    """The form's HTML is kept per worker: another choice or language must never get it."""
    pages = [
        ("/decisions/?phase=closed", "en"),
        ("/decisions/?phase=closed", "fr"),
        ("/decisions/?kind=finance", "en"),
        ("/decisions/", "en"),
        ("/decisions/?phase=closed", "en"),
    ]

    forms = [
        client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
        .split('class="filter-form"')[1]
        .split("</form>")[0]
        for path, language in pages
    ]

    assert '<option value="closed" selected>closed</option>' in forms[0]
    assert '<option value="closed" selected>clos</option>' in forms[1]
    assert "All phases" in forms[0] and "Toutes les étapes" in forms[1]
    assert '<option value="finance" selected>' in forms[2]
    assert '<option value="closed" selected>' not in forms[2]
    assert '<option value="" selected>All phases</option>' in forms[3]
    assert '<option value="" selected>All kinds</option>' in forms[3]
    assert forms[4] == forms[0]


@pytest.mark.django_db
def test_list_filtered_by_nothing_shows_the_form_as_built(client, monkeypatch):
    """Filtered by nothing, the log builds no filter set once the form's HTML is kept: the
    same HTML as the form built for that request."""
    monkeypatch.setattr(filters, "_rendered_forms", {})
    discussion(title="Bike", kind="finance")
    voting(title="Vote on bike", kind="position")

    def form(path, language="en"):
        body = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "Bike" in body and "Vote on bike" in body
        return body.split('class="filter-form"')[1].split("</form>")[0]

    with translation.override("en"):
        built = str(filters.DecisionFilter({"phase": "", "kind": ""}).form.as_div())
    assert form("/decisions/") == form("/decisions/") == form("/decisions/?phase=&kind=")
    assert built in form("/decisions/?page=1")
    assert "Toutes les étapes" in form("/decisions/", "fr")


@pytest.mark.django_db
def test_list_filter_form_with_an_unknown_choice_shows_its_error(client):
    body = client.get("/decisions/?phase=nonsense", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Select a valid choice" in body
