"""Tasks the broker refused are kept in the database and enqueued by a periodic sweep once it is
back: the write a person made is never followed by a task that silently vanished."""

import pytest
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError

from assembly.deferred import enqueue_deferred
from assembly.models import DeferredTask
from assembly.tasks import enqueue_deferred_tasks
from config.celery import app
from decisions.tasks import announce_discussion
from workshops.tasks import recompute_memberships

pytestmark = pytest.mark.django_db


class Broker:
    """Stands for Redis: refuses everything while down, records what it takes while up."""

    def __init__(self, monkeypatch, *tasks):
        self.up, self.taken = True, []
        for task in tasks:
            monkeypatch.setattr(task, "apply_async", self._sender(task.name))

    def _sender(self, name):
        def apply_async(args=None, kwargs=None, **options):
            if not self.up:
                raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
            self.taken.append((name, list(args or ()), kwargs))

        return apply_async


def test_a_task_the_broker_refuses_is_kept_after_the_write(
    monkeypatch, django_capture_on_commit_callbacks
):
    broker = Broker(monkeypatch, recompute_memberships)
    broker.up = False

    with django_capture_on_commit_callbacks(execute=True):
        recompute_memberships.delay_on_commit(person_ids=[4, 7])

    kept = DeferredTask.objects.get()
    assert (kept.name, kept.args, kept.kwargs) == (
        "workshops.recompute_memberships",
        [],
        {"person_ids": [4, 7]},
    )
    assert broker.taken == []


def test_a_task_the_broker_takes_is_not_kept(monkeypatch, django_capture_on_commit_callbacks):
    broker = Broker(monkeypatch, recompute_memberships)

    with django_capture_on_commit_callbacks(execute=True):
        recompute_memberships.delay_on_commit(person_ids=[4])

    assert broker.taken == [("workshops.recompute_memberships", [], {"person_ids": [4]})]
    assert not DeferredTask.objects.exists()


def test_the_sweep_enqueues_every_kept_task_once_the_broker_is_back(
    monkeypatch, django_capture_on_commit_callbacks
):
    broker = Broker(monkeypatch, recompute_memberships, announce_discussion)
    broker.up = False
    with django_capture_on_commit_callbacks(execute=True):
        recompute_memberships.delay_on_commit(person_ids=[4])
        announce_discussion.delay_on_commit(decision_id=9)
    assert DeferredTask.objects.count() == 2

    # Still down: the sweep (were it to run) takes nothing off and keeps everything.
    assert enqueue_deferred(app) == 0
    assert DeferredTask.objects.count() == 2

    broker.up = True
    assert enqueue_deferred_tasks() == 2

    assert broker.taken == [
        ("workshops.recompute_memberships", [], {"person_ids": [4]}),
        ("decisions.announce_discussion", [], {"decision_id": 9}),
    ]
    assert not DeferredTask.objects.exists()
    assert enqueue_deferred(app) == 0  # a second sweep enqueues nothing again


def test_the_sweep_stops_at_the_first_refusal_and_keeps_the_rest(monkeypatch):
    broker = Broker(monkeypatch, recompute_memberships)
    DeferredTask.objects.create(name="workshops.recompute_memberships", kwargs={"person_ids": [1]})
    DeferredTask.objects.create(name="workshops.recompute_memberships", kwargs={"person_ids": [2]})
    calls = []

    def flaky(args=None, kwargs=None, **options):
        calls.append(kwargs)
        if len(calls) == 2:
            raise BrokerError("connection reset")

    monkeypatch.setattr(recompute_memberships, "apply_async", flaky)

    assert enqueue_deferred(app) == 1
    assert list(DeferredTask.objects.values_list("kwargs", flat=True)) == [{"person_ids": [2]}]
    assert broker.taken == []


def test_a_task_no_code_knows_any_more_is_dropped_not_kept_forever():
    DeferredTask.objects.create(name="workshops.renamed_long_ago", kwargs={"x": 1})

    assert enqueue_deferred(app) == 1
    assert not DeferredTask.objects.exists()


def test_the_sweep_is_scheduled():
    sweeps = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]

    assert enqueue_deferred_tasks.name in sweeps
