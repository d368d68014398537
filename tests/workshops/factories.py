"""Factories of meetings, workshops, sign-ups and attendance."""

import datetime

import factory
from django.utils import timezone

from tests.factories import UserFactory
from workshops.models import Attendance, Meeting, Venue, Workshop, WorkshopSignup


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Venue {n}")
    address = "1 rue des Communs, Lillebonne"


class MeetingFactory(factory.django.DjangoModelFactory):
    """An assembly a week from now, three hours long."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = "Assemblée des communs"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    venue = factory.SubFactory(VenueFactory)


class PastMeetingFactory(MeetingFactory):
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() - datetime.timedelta(days=7)).replace(microsecond=0)
    )


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}")
    description = "We *share* things."
    proposed_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def with_proposer_as_facilitator(self, create, extracted, **kwargs):
        if create and self.proposed_by:
            self.facilitators.add(self.proposed_by)


class SignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopSignup

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(UserFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(PastMeetingFactory)
    person = factory.SubFactory(UserFactory)
