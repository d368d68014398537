"""A participant proposes a commons on a phone; a facilitator publishes it from the queue."""

import re

import kombu.pools
import pytest
from django.core import mail

from commons_registry.models import Commons
from config.celery import app
from tests.commons_registry.factories import category
from tests.e2e.conftest import PHONE, log_in
from tests.factories import PASSWORD, FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eager_tasks():
    """Run tasks in the web process, so that no message reaches a broker no worker reads here."""

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
    # Even eager tasks take a producer from kombu's process-wide pools; drop them so that a later
    # test pointing the app at a broker (tests/services) starts from fresh pools, not closed ones.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_participant_proposes_and_facilitator_publishes(
    phone_page, browser, live_server, eager_tasks
):
    category("jardins-alimentation")  # transactional tests flush the seeded categories
    participant = UserFactory(display_name="Camille")
    facilitator = FacilitatorFactory()

    page = phone_page
    log_in(page, participant.email, PASSWORD)
    page.goto("/commons/")
    page.get_by_role("link", name="Proposer un commun").first.click()
    page.get_by_label(re.compile(r"^Nom\b")).fill("Grainothèque de Fives")
    page.get_by_label("Résumé").fill("Des graines paysannes à prendre et à rendre.")
    page.get_by_label("Catégorie").select_option(label="Jardins & alimentation")
    page.get_by_label("Latitude").fill("95")
    page.get_by_label("Longitude").fill("3.09")
    page.get_by_role("button", name="Envoyer la proposition").click()
    # A bad latitude is refused with a clear message and nothing is saved.
    assert page.get_by_text("Merci de corriger les erreurs ci-dessous.").is_visible()
    assert Commons.objects.count() == 0
    page.get_by_label("Latitude").fill("50.6289")
    page.get_by_role("button", name="Envoyer la proposition").click()

    page.wait_for_url("**/commons/grainotheque-de-fives/")
    assert page.get_by_text("En attente de modération").is_visible()

    context = browser.new_context(locale="fr-FR", base_url=live_server.url, **PHONE)
    other = context.new_page()
    other.set_default_timeout(10_000)
    log_in(other, facilitator.email, PASSWORD)
    other.goto("/commons/moderation/")
    other.get_by_role("button", name="Publier Grainothèque de Fives").click()
    assert other.get_by_text("« Grainothèque de Fives » est publié.").is_visible()
    assert other.get_by_text("Rien à modérer").is_visible()
    context.close()

    commons = Commons.objects.get()
    assert commons.state == Commons.State.PUBLISHED
    assert list(commons.stewards.all()) == [participant]
    assert [m.to for m in mail.outbox] == [[participant.email]]
    # The newcomer now finds it in the directory, and the proposer may edit it.
    page.goto("/commons/")
    page.get_by_role("link", name="Grainothèque de Fives").click()
    assert page.get_by_role("link", name="Modifier cette fiche").is_visible()
