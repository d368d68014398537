import datetime

import pytest
from django.utils import timezone

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
