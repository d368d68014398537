"""A read-only season in a real browser: a member, a participant who owns things, a facilitator and
an administrator, signed in before it began, try every kind of form the site offers them (the cases
of tests/test_forms_match_permissions.py, and the admin's save); each is refused with the 503 page
in the layout, and no table changed."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.urls import reverse
from playwright.sync_api import expect

from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory
from tests.e2e.conftest import log_in
from tests.factories import PASSWORD, UserFactory
from tests.test_forms_match_permissions import CASES, _people

SINCE = datetime.datetime(2026, 11, 30, 18, 0, tzinfo=datetime.UTC)
ROLES = ("member", "owner", "facilitator", "administrator")
HEADING = "Lecture seule pour l’instant"
# Attributes, not properties: a field named "action" hides the form's own `action` property.
FIND_FORM = """(action) => Array.from(document.forms).findIndex((form) => {
  const url = new URL(form.getAttribute("action") || location.href, location.href);
  const method = (form.getAttribute("method") || "get").toLowerCase();
  return method === "post" && url.pathname + url.search === action;
})"""
SUBMIT = """(index) => {
  const form = document.forms[index];
  form.noValidate = true;
  const button = form.querySelector("button:not([type]), button[type=submit], input[type=submit]");
  if (button) { button.click(); } else { form.requestSubmit(); }
}"""


def every_table() -> dict[str, list]:
    """Every row of every table but the sessions (signing out ends one's own session)."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table == "django_session":
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            rows[table] = sorted(map(repr, cursor.fetchall()))
    return rows


def try_form(page, form_page: str, action: str) -> str | None:
    """Submit the form posting to `action` from the page offering it; what went wrong, or None."""
    page.goto(form_page)
    index = page.evaluate(FIND_FORM, action)
    if index < 0 and page.locator(f'a[href="{action}"]').count():
        # The page links to the form's own page.
        page.goto(action)
        index = page.evaluate(FIND_FORM, action)
    if index < 0:
        found = page.evaluate(
            "() => Array.from(document.forms).map((form) => form.getAttribute('action'))"
        )
        return f"no form posting to {action} on {form_page}, only to {found}"
    path = urlsplit(action).path
    with page.expect_response(
        lambda response: response.request.method == "POST" and urlsplit(response.url).path == path
    ) as answer:
        page.evaluate(SUBMIT, index)
    response = answer.value
    if response.status != 503 or response.headers.get("retry-after") != "86400":
        return f"{action}: answered {response.status}"
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    return None


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_form_is_refused_and_nothing_changes(browser, live_server, settings):
    people = _people()
    forms = {name: (build(people), offered) for name, (build, offered) in CASES.items()}
    commons = Commons.objects.first() or CommonsFactory()
    pages = {}
    for role in ROLES:
        context = browser.new_context(locale="fr-FR", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, people[role].email, PASSWORD)
        pages[role] = page
    before = every_table()
    settings.READ_ONLY = True
    settings.READ_ONLY_SINCE = SINCE
    settings.READ_ONLY_MESSAGE = "L’assemblée déménage."

    problems, tried = [], set()
    for name, (form, offered) in forms.items():
        for role in ROLES:
            if role in offered and (role != "owner" or offered == {"owner"}):
                tried.add(name)
                problem = try_form(pages[role], form.page, form.action)
                if problem:
                    problems.append(f"{name} as {role}: {problem}")
    # The admin's saves, through its own change form.
    admin = pages["administrator"]
    problem = try_form(
        admin,
        reverse("admin:commons_registry_commons_change", args=[commons.pk]),
        reverse("admin:commons_registry_commons_change", args=[commons.pk]),
    )
    if problem:
        problems.append(f"admin save: {problem}")
    expect(admin.locator(".read-only-banner")).to_contain_text("L’assemblée déménage.")
    expect(admin.locator(".read-only-banner")).to_contain_text("30 novembre 2026")

    after = every_table()
    settings.READ_ONLY = False
    for page in pages.values():
        page.context.close()
    assert problems == []
    assert tried == {name for name, (_form, offered) in forms.items() if offered}
    assert after == before


@pytest.mark.django_db(transaction=True)
def test_signing_in_is_refused_with_the_same_page(page, settings):
    person = UserFactory(email="later@example.org")
    page.goto("/")  # the site ran before its season (its configuration row made at the first view)
    settings.READ_ONLY = True
    settings.READ_ONLY_SINCE = SINCE
    settings.READ_ONLY_MESSAGE = ""

    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(person.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.get_by_role("button", name="Connexion").click()

    assert answer.value.status == 503
    expect(page.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(page.locator(".read-only-banner")).to_contain_text("lecture seule depuis")
    settings.READ_ONLY = False
    page.goto("/me/")
    assert "/accounts/login/" in page.url
