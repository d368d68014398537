import pytest
import time_machine

from tests.charter.factories import START
from tests.decisions.factories import MemberFactory


@pytest.fixture
def start():
    return START


@pytest.fixture
def member(db):
    with time_machine.travel(START, tick=False):
        return MemberFactory()
