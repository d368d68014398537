"""Proposing, moderating, editing, confirming and assessing, as each kind of person."""

import pytest
from django.core import mail
from django.urls import reverse

from commons_registry.models import Commons, OstromAssessment
from commons_registry.tasks import notify_moderation
from tests.commons_registry.factories import CommonsFactory, category
from tests.factories import UserFactory

PROPOSE = "/commons/propose/"
MODERATION = "/commons/moderation/"


def form_data(**overrides):
    data = {
        "name": "Grainothèque de Fives",
        "summary": "Des graines libres de droits, échangées.",
        "category": category("jardins-alimentation").pk,
        "status": "active",
        "latitude": "50.6301",
        "longitude": "3.0899",
    }
    return {**data, **overrides}


# --- Proposing ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_propose_anonymous_sent_to_login(client):
    response = client.get(PROPOSE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.post(PROPOSE, form_data())
    assert Commons.objects.count() == 0


@pytest.mark.django_db
def test_propose_participant_creates_proposal(person_client, person):
    response = person_client.post(PROPOSE, form_data())
    commons = Commons.objects.get()
    assert response.status_code == 302
    assert response["Location"] == commons.get_absolute_url()
    assert (commons.state, commons.submitted_by) == ("proposed", person)
    assert person_client.get(commons.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_propose_digital_commons_without_coordinates(person_client):
    person_client.post(PROPOSE, form_data(latitude="", longitude=""))
    assert Commons.objects.get().has_location is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [("95", "3.06", "latitude"), ("50.6", "200", "longitude"), ("50.6", "", "longitude"),
     ("nord", "3.06", "latitude")],
)  # fmt: skip
def test_propose_bad_coordinates_refused(person_client, latitude, longitude, field):
    response = person_client.post(PROPOSE, form_data(latitude=latitude, longitude=longitude))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Commons.objects.count() == 0


@pytest.mark.django_db
def test_propose_duplicate_name_links_to_existing(person_client):
    existing = CommonsFactory(name="Grainothèque de Fives")
    response = person_client.post(PROPOSE, form_data(name="grainothèque de fives"))
    content = response.content.decode()
    assert Commons.objects.count() == 1
    assert f'href="{existing.get_absolute_url()}"' in content
    assert "name" in response.context["form"].errors


@pytest.mark.django_db
def test_propose_duplicate_of_someone_elses_proposal_says_so_without_a_dead_link(person_client):
    existing = CommonsFactory(name="Grainothèque de Fives", state=Commons.State.PROPOSED,
                              submitted_by=UserFactory())  # fmt: skip
    response = person_client.post(PROPOSE, form_data(name="Grainothèque de Fives"))
    content = response.content.decode()
    assert Commons.objects.count() == 1
    assert response.context["form"].errors["name"] == [
        "Un commun de ce nom est déjà proposé et attend la modération."
    ]
    # The person may not see that proposal: no link to a page that would answer 404.
    assert existing.get_absolute_url() not in content
    assert person_client.get(existing.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_propose_duplicate_of_own_proposal_links_to_it(person_client, person):
    existing = CommonsFactory(name="Grainothèque de Fives", state=Commons.State.PROPOSED,
                              submitted_by=person)  # fmt: skip
    response = person_client.post(PROPOSE, form_data(name="Grainothèque de Fives"))
    assert f'href="{existing.get_absolute_url()}"' in response.content.decode()


# --- Moderating -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_moderation_queue_anonymous_sent_to_login(client):
    assert client.get(MODERATION).status_code == 302


@pytest.mark.django_db
def test_moderation_queue_refused_to_participant(person_client):
    assert person_client.get(MODERATION).status_code == 403


@pytest.mark.django_db
def test_moderation_queue_lists_proposals_for_facilitator(facilitator_client):
    CommonsFactory(name="À modérer", state=Commons.State.PROPOSED)
    CommonsFactory(name="Déjà publié")
    content = facilitator_client.get(MODERATION).content.decode()
    assert "À modérer" in content
    assert "Déjà publié" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_moderation_queue_query_count_constant(
    facilitator_client, django_assert_num_queries, count, configured
):
    CommonsFactory.create_batch(count, state=Commons.State.PROPOSED)
    with django_assert_num_queries(4):
        response = facilitator_client.get(MODERATION)
    assert response.status_code == 200


@pytest.mark.django_db
def test_moderate_participant_cannot_publish(person_client, person):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person)
    response = person_client.post(reverse("commons:moderate", args=[commons.slug]),
                                  {"action": "publish"})  # fmt: skip
    commons.refresh_from_db()
    assert response.status_code == 403
    assert commons.state == "proposed"


@pytest.mark.django_db
def test_moderate_steward_cannot_publish(client, person):
    commons = CommonsFactory(state=Commons.State.PROPOSED, stewards=[person])
    client.force_login(person)
    response = client.post(reverse("commons:moderate", args=[commons.slug]), {"action": "publish"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_moderate_facilitator_publishes_and_proposer_is_told(
    facilitator_client, person, django_capture_on_commit_callbacks
):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = facilitator_client.post(
            reverse("commons:moderate", args=[commons.slug]), {"action": "publish"}, follow=True
        )
    commons.refresh_from_db()
    assert commons.state == "published"
    assert list(commons.stewards.all()) == [person]
    assert response.redirect_chain[-1][0] == MODERATION
    # The task is enqueued once, on commit; run it here as the worker would.
    assert len(callbacks) == 2  # the proposer is told; the entry joins the weekly digests
    notify_moderation(commons_pk=commons.pk)
    assert [m.to for m in mail.outbox] == [[person.email]]


@pytest.mark.django_db
def test_moderate_facilitator_rejects_with_reason(facilitator_client):
    commons = CommonsFactory(state=Commons.State.PROPOSED)
    url = reverse("commons:moderate", args=[commons.slug])
    facilitator_client.post(url, {"action": "reject", "reason": ""})
    commons.refresh_from_db()
    assert commons.state == "proposed"
    facilitator_client.post(url, {"action": "reject", "reason": "Ce n'est pas un commun."})
    commons.refresh_from_db()
    assert (commons.state, commons.moderation_reason) == ("rejected", "Ce n'est pas un commun.")


# --- Editing --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_anonymous_sent_to_login(client):
    commons = CommonsFactory()
    assert client.get(reverse("commons:edit", args=[commons.slug])).status_code == 302


@pytest.mark.django_db
def test_edit_refused_to_participant_who_is_not_steward(person_client):
    commons = CommonsFactory()
    url = reverse("commons:edit", args=[commons.slug])
    assert person_client.get(url).status_code == 403
    assert person_client.post(url, form_data()).status_code == 403


@pytest.mark.django_db
def test_edit_steward_changes_entry_and_history_records_it(client, person):
    commons = CommonsFactory(name="Grainothèque de Fives", summary="Avant", stewards=[person])
    client.force_login(person)
    response = client.post(reverse("commons:edit", args=[commons.slug]),
                           form_data(summary="Après"))  # fmt: skip
    commons.refresh_from_db()
    assert response.status_code == 302
    assert commons.summary == "Après"
    assert commons.history.first().history_user == person


@pytest.mark.django_db
def test_edit_facilitator_edits_any_entry(facilitator_client):
    commons = CommonsFactory(name="Grainothèque de Fives")
    facilitator_client.post(
        reverse("commons:edit", args=[commons.slug]), form_data(status="dormant")
    )
    commons.refresh_from_db()
    assert commons.status == "dormant"


# --- Confirming and assessing ---------------------------------------------------------------------


@pytest.mark.django_db
def test_confirm_by_steward_only(client, person, facilitator):
    commons = CommonsFactory(last_confirmed_at=None)
    url = reverse("commons:confirm", args=[commons.slug])
    client.force_login(person)
    assert client.post(url).status_code == 403
    commons.stewards.add(person)
    assert client.post(url).status_code == 302
    commons.refresh_from_db()
    assert commons.last_confirmed_at is not None


@pytest.mark.django_db
def test_assessment_form_for_steward(client, person):
    commons = CommonsFactory(stewards=[person])
    url = reverse("commons:assess", args=[commons.slug])
    client.force_login(person)
    data = {field: "present" for field, _ in OstromAssessment.PRINCIPLES}
    data["nested"] = "n/a"
    data["boundaries_comment"] = "Adhésion annuelle"
    response = client.post(url, data)
    assessment = commons.assessments.get()
    assert response.status_code == 302
    assert (assessment.boundaries, assessment.nested, assessment.assessed_by) == (
        "present", "n/a", person)  # fmt: skip
    assert assessment.boundaries_comment == "Adhésion annuelle"


@pytest.mark.django_db
def test_assessment_refused_to_participant(person_client):
    commons = CommonsFactory()
    assert person_client.get(reverse("commons:assess", args=[commons.slug])).status_code == 403


@pytest.mark.django_db
def test_entry_actions_shown_to_steward_only(client, person):
    commons = CommonsFactory()
    edit_url = reverse("commons:edit", args=[commons.slug])
    client.force_login(person)
    assert edit_url not in client.get(commons.get_absolute_url()).content.decode()
    commons.stewards.add(person)
    assert edit_url in client.get(commons.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_proposal_seen_by_facilitator_not_by_other_participants(client, facilitator):
    commons = CommonsFactory(state=Commons.State.PROPOSED)
    client.force_login(UserFactory())
    assert client.get(commons.get_absolute_url()).status_code == 404
    client.force_login(facilitator)
    response = client.get(commons.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_moderate"] is True


@pytest.mark.django_db
def test_steward_cannot_edit_before_publication(client, person):
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=person, stewards=[person])
    client.force_login(person)
    assert client.get(reverse("commons:edit", args=[commons.slug])).status_code == 403
