"""Gatherings in a real browser: the call for sessions to the grid, a waitlist's promotion, a
person's own programme with a conflict, a poll answered without an account, and the programme on
a phone without JavaScript. Selectors name forms and fields, not words, where they can."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from gatherings import services
from gatherings.models import Session, SessionRegistration
from gatherings.tasks import send_promotion_notices
from tests.e2e.conftest import PHONE
from tests.e2e.workshops_helpers import sign_in
from tests.factories import UserFactory
from tests.gatherings.factories import day_at, fmt, gathering, place
from workshops.models import Venue

pytestmark = pytest.mark.django_db(transaction=True)


def _context(browser, live_server, **options):
    context = browser.new_context(locale="fr-FR", base_url=live_server.url, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_a_proposal_is_accepted_and_placed_on_the_grid(browser, live_server):
    organiser, author = UserFactory(display_name="Orga"), UserFactory(display_name="Ana")
    g = gathering(organiser=organiser)
    hall = g.sites.get(venue__name="Halle")
    author_context, page = _context(browser, live_server)
    try:
        sign_in(page, author, live_server.url)
        page.goto(f"/gatherings/{g.slug}/propose/")
        page.locator("#id_title").fill("Cartopartie du quartier")
        page.locator("#id_format").select_option(str(fmt().pk))
        page.locator("#id_description").fill("On complète la carte.")
        page.locator("form.stacked-form button[type=submit]").click()
        expect(page.locator("h1")).to_have_text("Cartopartie du quartier")
    finally:
        author_context.close()
    session = Session.objects.get(title="Cartopartie du quartier")

    context, page = _context(browser, live_server)
    try:
        sign_in(page, organiser, live_server.url)
        page.goto(f"/gatherings/{g.slug}/")
        page.get_by_role("link", name="Cartopartie du quartier").click()
        page.locator("input[name=answer][value=accept]").check()
        page.locator("form[action$='/review/'] button[type=submit]").click()
        page.locator("#id_starts_at").fill(day_at(g, 0, 14).strftime("%Y-%m-%dT%H:%M"))
        page.locator("#id_ends_at").fill(day_at(g, 0, 15).strftime("%Y-%m-%dT%H:%M"))
        page.locator("#id_place").select_option(f"site:{hall.pk}")
        page.locator("form[action$='/place/'] button[type=submit]").first.click()
        page.goto(f"/gatherings/{g.slug}/programme/")
        expect(
            page.locator(".programme-grid td").filter(has_text="Cartopartie du quartier")
        ).to_be_visible()
    finally:
        context.close()
    session.refresh_from_db()
    assert (session.state, session.site) == ("accepted", hall)


def test_a_full_session_puts_the_next_person_on_the_waitlist_then_promotes_them(
    browser, live_server
):
    g = gathering()
    session = place(g, "Atelier semences", capacity=1)
    first, second = UserFactory(display_name="Prem"), UserFactory(display_name="Deux")
    contexts = []
    try:
        pages = []
        for person in (first, second):
            context, page = _context(browser, live_server)
            contexts.append(context)
            sign_in(page, person, live_server.url)
            page.goto(session.get_absolute_url())
            page.locator("form[action$='/register/'] button[type=submit]").click()
            pages.append(page)
        expect(pages[1].locator(".message")).to_contain_text("liste d’attente")
        assert SessionRegistration.objects.get(person=second).state == "waitlisted"

        pages[0].locator("form[action$='/register/'] button[type=submit]").click()
        pages[1].reload()
        expect(pages[1].locator("form[action$='/register/'] strong")).to_have_text(
            "Vous êtes inscrit·e."
        )
    finally:
        for context in contexts:
            context.close()
    assert SessionRegistration.objects.get(person=second).state == "registered"
    mail.outbox.clear()
    send_promotion_notices(session_id=session.pk, person_ids=[second.pk])
    send_promotion_notices(session_id=session.pk, person_ids=[second.pk])
    assert [message.to for message in mail.outbox] == [[second.email]]


def test_my_programme_flags_a_conflict(browser, live_server):
    g = gathering()
    person = UserFactory()
    room = g.sites.get(venue__name="Halle").rooms.get(name="Atelier")
    for session in (
        place(g, "Plénière", hour=10, hours=2),
        place(g, "Atelier", hour=11, room=room),
    ):
        services.register_for_session(session, person)
    context, page = _context(browser, live_server)
    try:
        sign_in(page, person, live_server.url)
        page.goto(f"/gatherings/{g.slug}/me/")
        expect(page.locator("li.clashing")).to_have_count(2)
        expect(page.locator(".notice[role=status]")).to_be_visible()
    finally:
        context.close()


def test_a_poll_is_answered_without_an_account(browser, live_server):
    g = gathering()
    poll = services.create_poll(
        by=UserFactory(), title="Préparation", dates=[day_at(g, 0, 18), day_at(g, 1, 18)]
    )
    first, second = poll.dates.all()
    context, page = _context(browser, live_server)
    try:
        page.goto(poll.get_absolute_url())
        page.locator("#id_name").fill("Zoé")
        page.locator(f"input[name=date_{first.pk}][value=yes]").check()
        page.locator(f"input[name=date_{second.pk}][value=maybe]").check()
        page.locator("form.poll-form button[type=submit]").click()
        expect(page.locator(".poll-table tbody th", has_text="Zoé")).to_be_visible()
        expect(page.locator(".poll-table td.best")).to_have_count(1)
    finally:
        context.close()
    assert poll.answers.get().person is None


def test_the_programme_on_a_phone_without_javascript_is_a_list_that_filters(browser, live_server):
    g = gathering()
    track = g.tracks.get()
    place(g, "Dans la piste", hour=9, track=track)
    place(g, "Hors piste", hour=11)
    context, page = _context(browser, live_server, java_script_enabled=False, **PHONE)
    try:
        page.goto(f"/gatherings/{g.slug}/programme/")
        expect(page.locator(".programme-grid").first).to_be_hidden()
        expect(page.locator(".programme-list").first).to_be_visible()
        expect(page.locator(".programme-list").first).to_contain_text("Hors piste")
        page.locator("#id_track").select_option(str(track.pk))
        page.locator(".programme-filter button[type=submit]").click()
        expect(page.locator(".programme-list").first).to_contain_text("Dans la piste")
        expect(page.locator(".programme-list").first).not_to_contain_text("Hors piste")
    finally:
        context.close()
    # With JavaScript on (to measure), nothing is wider than the phone.
    context, page = _context(browser, live_server, **PHONE)
    try:
        page.goto(f"/gatherings/{g.slug}/programme/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_the_gatherings_map_shows_its_sites_and_draws_its_walk(browser, live_server):
    g = gathering()
    hall, garden = g.sites.get(venue__name="Halle"), g.sites.get(venue__name="Jardin")
    for site, (latitude, longitude) in ((hall, (50.64, 3.058)), (garden, (50.637, 3.029))):
        Venue.objects.filter(pk=site.venue_id).update(latitude=latitude, longitude=longitude)
    services.add_parcours(
        g, "Parcours nord", [(hall, day_at(g, 0, 12)), (garden, day_at(g, 0, 13))]
    )
    context, page = _context(browser, live_server)

    def only_live_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_live_server)
    try:
        page.goto(g.get_absolute_url())
        expect(page.locator("#gathering-map")).to_have_attribute("data-markers", "2")
        expect(page.locator("#gathering-map path.leaflet-interactive")).to_have_count(1)
    finally:
        context.close()


def test_my_programme_opens_offline_on_a_phone_once_loaded(browser, live_server):
    g = gathering()
    person = UserFactory()
    services.register_for_session(place(g, "Plénière d'ouverture"), person)
    context, page = _context(browser, live_server, **PHONE)
    try:
        sign_in(page, person, live_server.url)
        page.goto(f"/gatherings/{g.slug}/me/")
        page.evaluate(
            """() => new Promise((resolve) => {
                if (navigator.serviceWorker.controller) return resolve(true);
                navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true));
            })"""
        )
        page.reload()  # now through the service worker, which keeps a copy

        context.set_offline(True)
        page.reload()
        expect(page.locator(".my-sessions")).to_contain_text("Plénière d'ouverture")
    finally:
        context.close()


def test_an_organiser_draws_a_walk_and_reorders_its_stops_without_javascript(browser, live_server):
    organiser = UserFactory(display_name="Orga")
    g = gathering(organiser=organiser)
    context, page = _context(browser, live_server, java_script_enabled=False)
    try:
        sign_in(page, organiser, live_server.url)
        page.goto(f"/gatherings/{g.slug}/organise/")
        page.locator("main a[href$='/organise/walks/']").click()
        page.locator("#id_walk_title").fill("Parcours des jardins")
        page.locator("form[action$='/organise/walks/'] button[type=submit]").click()
        walk = g.parcours.get()
        for site, hour in (("Halle", 9), ("Jardin", 10)):
            form = page.locator(f"form[action$='/walks/{walk.pk}/']").filter(
                has=page.locator("input[value=add-stop]")
            )
            form.locator("select[name=site]").select_option(label=site)
            form.locator("input[name=arrives_at]").fill(
                day_at(g, 0, hour).strftime("%Y-%m-%dT%H:%M")
            )
            form.locator("button[type=submit]").click()
        page.locator("button[name=action][value=down]").click()
        expect(page.locator(f"section[aria-labelledby=walk-{walk.pk}] tbody th")).to_have_text(
            ["Jardin", "Halle"]
        )
    finally:
        context.close()
    assert [stop.site.venue.name for stop in walk.stops.all()] == ["Jardin", "Halle"]
