"""Factories shared by every app's tests. Each app may add its own in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from assembly.models import FACILITATORS_GROUP, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """A verified primary address, as after sign-up (pass verified=False to skip)."""
        if create and extracted is not False and self.email:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)


class FacilitatorFactory(UserFactory):
    @factory.post_generation
    def facilitator(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
