"""Merging two people into one: the registry covers every foreign key to the person, everything
moves to the person kept, the unique-item rules hold, and the merge is logged or refused."""

import datetime
import functools
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from assembly import merging, people, personal_data
from assembly.models import Delivery, MergeLog, NotificationPreferences, User
from assembly.tasks import send_claim_invitation_task
from commons_registry.models import Commons
from decisions import services as decisions
from decisions.models import Comment, RollEntry, Vote
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import MemberFactory, discussion, voting
from tests.factories import FacilitatorFactory, UserFactory
from tests.workshops.factories import PastMeetingFactory, WorkshopFactory
from workshops.models import AppliedTick, Attendance, WorkshopSignup


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in their English source, in services and on pages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def fields_pointing_at_the_person() -> set[tuple[str, str]]:
    """(model label, field) of every foreign key or one-to-one to the person model, on every
    installed model: history tables, many-to-many tables and third-party models too."""
    person_model = get_user_model()
    return {
        (model._meta.label, field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is person_model
    }


def test_every_foreign_key_to_the_person_follows_a_merge():
    registered = {mover.key for mover in merging.movers()}

    missing = fields_pointing_at_the_person() - registered

    assert missing == set(), (
        "These fields point at the person but no merge rule moves them: call "
        f"merging.register_merge(Model, field, ...) in the app's ready(): {sorted(missing)}"
    )


def test_every_merge_rule_is_a_real_foreign_key_to_the_person():
    assert {mover.key for mover in merging.movers()} <= fields_pointing_at_the_person()


def test_the_derived_list_includes_history_and_many_to_many_fields():
    found = fields_pointing_at_the_person()

    assert ("decisions.HistoricalVote", "history_user") in found
    assert ("commons_registry.HistoricalCommons", "submitted_by") in found
    assert ("workshops.Meeting_hosts", "user") in found


def _tick(meeting, person, workshop=None):
    return Attendance.objects.create(meeting=meeting, person=person, workshop=workshop)


@pytest.mark.django_db
def test_merge_moves_everything_to_the_person_kept():
    facilitator = FacilitatorFactory()
    kept = UserFactory(display_name="Hélène Dupont")
    walk_in = User.objects.create_user(email=None, display_name="Helene Dupont")
    meeting = PastMeetingFactory()
    workshop = WorkshopFactory(meeting=meeting, proposed_by=walk_in)
    meeting.hosts.add(walk_in)
    _tick(meeting, walk_in, workshop)
    applied = AppliedTick.objects.create(client_id=uuid.uuid4(), meeting=meeting, person=walk_in)
    commons = CommonsFactory(stewards=[walk_in])
    decision = discussion(walk_in)
    comment = decisions.add_comment(decision, author=walk_in, text="I was here.")

    log = merging.merge_people(kept, walk_in, by=facilitator)

    assert not User.objects.filter(pk=walk_in.pk).exists()
    assert list(Attendance.objects.values_list("person", "workshop")) == [(kept.pk, workshop.pk)]
    # A tick sent from a phone and replayed later still finds its person.
    assert AppliedTick.objects.get(pk=applied.pk).person == kept
    assert list(meeting.hosts.all()) == [kept]
    assert list(workshop.facilitators.all()) == [kept]
    assert workshop.__class__.objects.get().proposed_by == kept
    assert list(Commons.objects.get(pk=commons.pk).stewards.all()) == [kept]
    assert Comment.objects.get(pk=comment.pk).author == kept
    assert decision.__class__.objects.get().author == kept
    assert set(decision.history.values_list("author", flat=True)) == {kept.pk}
    assert (log.by, log.kept, log.merged_id, log.merged_display_name) == (
        facilitator,
        kept,
        walk_in.pk,
        "Helene Dupont",
    )
    assert log.moved["workshops.Attendance.person"] == 1


@pytest.mark.django_db
def test_merge_keeps_one_sign_up_and_one_tick_where_both_had_one():
    kept, other = UserFactory(), UserFactory()
    meeting = PastMeetingFactory()
    workshop = WorkshopFactory(meeting=meeting)
    WorkshopSignup.objects.create(workshop=workshop, person=kept)
    WorkshopSignup.objects.create(workshop=workshop, person=other)
    kept_tick = _tick(meeting, kept)
    _tick(meeting, other)
    _tick(meeting, other, workshop)
    meeting.hosts.add(kept, other)

    merging.merge_people(kept, other, by=None)

    assert list(WorkshopSignup.objects.values_list("person", flat=True)) == [kept.pk]
    assert sorted(Attendance.objects.values_list("pk", "person", "workshop"), key=str) == sorted(
        [(kept_tick.pk, kept.pk, None), (kept_tick.pk + 2, kept.pk, workshop.pk)], key=str
    )
    assert list(meeting.hosts.all()) == [kept]


@pytest.mark.django_db
def test_merge_recomputes_membership_from_the_attendance_gathered():
    kept = UserFactory()
    walk_in = User.objects.create_user(email=None, display_name="Walk-in")
    _tick(PastMeetingFactory(), kept)
    _tick(
        PastMeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=40)),
        walk_in,
    )
    assert kept.is_eligible() is False

    merging.merge_people(kept, walk_in, by=None)

    kept.refresh_from_db()
    assert kept.is_eligible() is True


@pytest.mark.django_db
def test_merge_keeps_the_earlier_declaration_and_takes_the_email_when_the_kept_has_none():
    walk_in = User.objects.create_user(email=None, display_name="Walk-in")
    member = MemberFactory(email="ana@example.org")
    declared = member.membership_declared_at
    _tick(PastMeetingFactory(), member)
    _tick(PastMeetingFactory(starts_at=timezone.now() - datetime.timedelta(days=40)), member)

    merging.merge_people(walk_in, member, by=None)

    walk_in.refresh_from_db()
    assert (walk_in.email, walk_in.membership_declared_at) == ("ana@example.org", declared)
    assert list(EmailAddress.objects.values_list("user", "email", "primary")) == [
        (walk_in.pk, "ana@example.org", True)
    ]


@pytest.mark.django_db
def test_merge_keeps_one_delivery_per_topic_and_kind():
    kept, other = UserFactory(), UserFactory()
    Delivery.objects.create(person=kept, topic="t", kind="k")
    Delivery.objects.create(person=other, topic="t", kind="k")
    Delivery.objects.create(person=other, topic="t", kind="other")

    merging.merge_people(kept, other, by=None)

    assert sorted(Delivery.objects.values_list("person", "kind")) == [
        (kept.pk, "k"),
        (kept.pk, "other"),
    ]


@pytest.mark.django_db
def test_merge_is_refused_when_both_voted_on_one_frozen_roll():
    kept, other = MemberFactory(), MemberFactory()
    decision = voting()
    decisions.cast_vote(decision, voter=kept, choice="consent")
    decisions.cast_vote(decision, voter=other, choice="abstain")

    with pytest.raises(merging.MergeError) as refused:
        merging.merge_people(kept, other, by=None)

    assert "Buy a shared cargo bike" in str(refused.value)
    assert "both voted" in str(refused.value)
    assert User.objects.filter(pk=other.pk).exists()
    assert MergeLog.objects.count() == 0


@pytest.mark.django_db
def test_merge_moves_the_only_vote_on_a_shared_roll_and_leaves_the_roll_frozen():
    kept, other = MemberFactory(), MemberFactory()
    decision = voting()
    vote = decisions.cast_vote(decision, voter=other, choice="object", reason="Too dear.")
    vote = decisions.cast_vote(decision, voter=other, choice="consent")

    merging.merge_people(kept, other, by=None)

    decision.refresh_from_db()
    assert RollEntry.objects.filter(decision=decision).count() == decision.roll_size == 2
    assert Vote.objects.get().roll_entry.person == kept
    assert set(Vote.history.filter(id=vote.pk).values_list("roll_entry_id", "history_user")) == {
        (RollEntry.objects.get(person=kept).pk, kept.pk)
    }
    assert RollEntry.objects.filter(decision=decision, person=None).count() == 1
    assert decisions.tally(decision)["consent"] == 1


@pytest.mark.django_db
def test_merge_passes_a_roll_entry_the_kept_person_is_not_on():
    other = MemberFactory()
    decision = voting()
    decisions.cast_vote(decision, voter=other, choice="consent")
    kept = UserFactory()

    merging.merge_people(kept, other, by=None)

    assert RollEntry.objects.get(decision=decision).person == kept
    assert decisions.cast_vote(decision, voter=kept, choice="abstain").choice == "abstain"


@pytest.mark.django_db
def test_a_person_cannot_be_merged_with_themselves():
    person = UserFactory()

    with pytest.raises(merging.MergeError):
        merging.merge_people(person, person, by=None)


# --- An e-mail for a walk-in ------------------------------------------------------------------


@pytest.mark.django_db
def test_add_email_to_a_walk_in_sends_the_claim_invitation(django_capture_on_commit_callbacks):
    walk_in = User.objects.create_user(email=None, display_name="Ana")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        people.add_email(walk_in, " Ana@Example.org ")
    enqueued = [
        (callback.func.__self__.name, callback.args[1])
        for callback in callbacks
        if isinstance(callback, functools.partial)
    ]
    send_claim_invitation_task(**enqueued[0][1])

    walk_in.refresh_from_db()
    assert walk_in.email == "ana@example.org"
    assert enqueued == [("assembly.send_claim_invitation", {"user_id": walk_in.pk})]
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_add_email_already_used_is_refused():
    UserFactory(email="ana@example.org")
    walk_in = User.objects.create_user(email=None, display_name="Ana")

    with pytest.raises(people.PeopleError) as refused:
        people.add_email(walk_in, "ANA@example.org")

    assert "merge them" in str(refused.value)


# --- Likely duplicates --------------------------------------------------------------------------


@pytest.mark.django_db
def test_likely_duplicates_are_same_name_without_accents_or_same_email_in_another_case():
    helene = UserFactory(display_name="Hélène Dupont")
    walk_in = User.objects.create_user(email=None, display_name="helene  dupont")
    ana = UserFactory(email="ana@example.org", display_name="Ana")
    ana_again = UserFactory(display_name="Ana B.")
    User.objects.filter(pk=ana_again.pk).update(email="ANA@Example.org")
    UserFactory(display_name="Someone else")

    pairs = people.likely_duplicates()

    assert [(older.pk, newer.pk, why) for older, newer, why in pairs] == [
        (helene.pk, walk_in.pk, "same name"),
        (ana.pk, ana_again.pk, "same e-mail"),
    ]


# --- Pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_facilitator_merges_from_the_confirmation_page(client):
    facilitator = FacilitatorFactory()
    kept, other = UserFactory(display_name="Kept"), UserFactory(display_name="Other")
    _tick(PastMeetingFactory(), other)
    client.force_login(facilitator)
    url = reverse("people-merge", args=[kept.pk, other.pk])

    page = client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert "Attendance: 1" in page
    assert response.redirect_chain[-1][0] == reverse("people-identity", args=[kept.pk])
    assert "Other is merged into Kept." in response.content.decode()
    assert f"Other (#{other.pk})" in response.content.decode()
    assert Attendance.objects.get().person == kept


@pytest.mark.django_db
def test_confirmation_page_shows_the_refusal_and_offers_no_button(client):
    kept, other = MemberFactory(), MemberFactory()
    decision = voting()
    decisions.cast_vote(decision, voter=kept, choice="consent")
    decisions.cast_vote(decision, voter=other, choice="consent")
    client.force_login(FacilitatorFactory())
    url = reverse("people-merge", args=[kept.pk, other.pk])

    page = client.get(url).content.decode()
    refused = client.post(url, follow=True).content.decode()

    assert "both voted" in page
    assert "<button" not in page.split("What moves")[1].split("Back")[0]
    assert "both voted" in refused
    assert User.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_facilitator_adds_an_email_from_the_page(client, django_capture_on_commit_callbacks):
    walk_in = User.objects.create_user(email=None, display_name="Ana")
    client.force_login(FacilitatorFactory())

    identity_page = client.get(reverse("people-identity", args=[walk_in.pk])).content.decode()
    response = client.post(
        reverse("people-add-email", args=[walk_in.pk]), {"email": "ana@example.org"}
    )

    assert reverse("people-add-email", args=[walk_in.pk]) in identity_page
    assert response.status_code == 302
    walk_in.refresh_from_db()
    assert walk_in.email == "ana@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("pairs", [1, 3])
def test_duplicates_page_queries(client, django_assert_num_queries, pairs):
    client.force_login(FacilitatorFactory())
    for n in range(pairs):
        UserFactory(display_name=f"Émile {n}")
        UserFactory(display_name=f"emile {n}")

    with django_assert_num_queries(7):
        response = client.get(reverse("people-duplicates"))

    assert response.content.decode().count(">Merge<") == pairs


@pytest.mark.django_db
@pytest.mark.parametrize("candidates", [1, 3])
def test_identity_page_queries(client, django_assert_num_queries, candidates):
    client.force_login(FacilitatorFactory())
    person = UserFactory(display_name="Ana")
    for n in range(candidates):
        UserFactory(display_name=f"Ana {n}")
        MergeLog.objects.create(
            kept=person, merged_id=100 + n, merged_display_name="Old", merged_at=timezone.now()
        )

    with django_assert_num_queries(9):
        response = client.get(reverse("people-identity", args=[person.pk]), {"q": "Ana"})

    assert response.content.decode().count("merge into Ana<") == candidates


@pytest.mark.django_db
def test_merge_keeps_the_kept_persons_notification_preferences():

    kept, other = UserFactory(), UserFactory()
    NotificationPreferences.objects.create(person=kept)
    NotificationPreferences.objects.create(person=other)

    merging.merge_people(kept, other, by=None)

    assert list(NotificationPreferences.objects.values_list("person", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_the_kept_persons_export_lists_the_accounts_merged_into_theirs():

    kept, other = UserFactory(), UserFactory(display_name="Other", email="other@example.org")

    merging.merge_people(kept, other, by=None)

    merges = personal_data.export(kept)["sections"]["merges"]
    assert [(row["merged_display_name"], row["merged_email"]) for row in merges] == [
        ("Other", "other@example.org")
    ]
