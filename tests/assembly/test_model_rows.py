"""A row's model instance made without Model.__init__ (assembly/model_rows.py) is the instance
Django's own from_db made: the same state, the same values under the same names, in the same
order; and Django's way is kept wherever something watches or changes how instances are made."""

from unittest import mock

import pytest
from django.db import models
from django.db.models import Model
from django.db.models.signals import post_init
from django.test.utils import isolate_apps

from assembly import model_rows
from assembly.models import User
from decisions.models import Decision
from tests.decisions.factories import discussion
from tests.factories import UserFactory


def made(instance) -> list:
    """All that an instance holds: its state's, then its `__dict__`'s items in order."""
    state = instance._state
    cached = {name: made(value) for name, value in vars(state).get("fields_cache", {}).items()}
    values = [(name, value) for name, value in vars(instance).items() if name != "_state"]
    return [type(instance), state.adding, state.db, cached, values]


def as_django_made(queryset) -> list:
    with mock.patch.object(Model, "from_db", classmethod(model_rows._django_from_db)):
        return [made(instance) for instance in queryset.all()]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "queryset",
    [
        lambda: User.objects.order_by("pk"),
        lambda: Decision.objects.order_by("pk"),
        lambda: Decision.objects.only("title", "author__display_name").select_related("author"),
        lambda: Decision.objects.defer("proposal").order_by("-pk"),
        lambda: User.objects.filter(is_active=True).only("pk"),
    ],
)
def test_instances_are_those_djangos_from_db_made(queryset):
    discussion(UserFactory(display_name="<Camille>"))
    discussion(title="Another one")

    instances = [made(instance) for instance in queryset()]

    assert instances == as_django_made(queryset())
    assert instances
    assert model_rows._attnames[instances[0][0]] is not None  # made without __init__


@pytest.mark.django_db
def test_a_deferred_field_is_loaded_when_read():
    decision = discussion()

    loaded = Decision.objects.only("title").get(pk=decision.pk)

    assert "context" not in vars(loaded)
    assert loaded.context == "Why we need it."


@pytest.mark.django_db
def test_a_receiver_of_post_init_sees_every_row():
    discussion()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Decision)
    try:
        decisions = list(Decision.objects.select_related("author"))
    finally:
        post_init.disconnect(receiver, sender=Decision)

    assert seen == decisions


@isolate_apps("assembly")
def test_a_model_that_makes_its_instances_otherwise_keeps_djangos_way():
    class OwnInit(models.Model):  # noqa: DJ008 - never shown
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "assembly"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initial_name = self.name

    class OwnDescriptor(models.Model):  # noqa: DJ008 - never shown
        document = models.FileField()

        class Meta:
            app_label = "assembly"

    class Plain(models.Model):  # noqa: DJ008 - never shown
        name = models.CharField(max_length=10)
        parent = models.ForeignKey(User, on_delete=models.CASCADE)

        class Meta:
            app_label = "assembly"

    own_init = OwnInit.from_db("default", ["id", "name"], [1, "x"])
    plain = Plain.from_db("default", ["id", "name", "parent_id"], [1, "x", 2])

    assert own_init.initial_name == "x"
    assert model_rows._attnames[OwnInit] is None
    assert OwnDescriptor.from_db("default", ["id", "document"], [1, "a.txt"]).document == "a.txt"
    assert model_rows._attnames[OwnDescriptor] is None
    assert model_rows._attnames[Plain] == ("id", "name", "parent_id")
    assert (plain.pk, plain.name, plain.parent_id, plain._state.adding) == (1, "x", 2, False)
