import datetime

import pytest
from django.utils import timezone, translation

from tests.decisions.factories import MemberFactory

START = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def start():
    """A fixed Monday morning from which the lifecycle tests count days."""
    return START


@pytest.fixture
def member(db):
    return MemberFactory()


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English source; pages choose their language per request."""
    with translation.override("en"):
        yield
