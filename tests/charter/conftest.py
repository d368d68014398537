import pytest
import time_machine

from assembly.models import AssemblyConfiguration
from tests.charter.factories import START
from tests.decisions.factories import MemberFactory


@pytest.fixture
def start():
    return START


@pytest.fixture
def member(db):
    with time_machine.travel(START, tick=False):
        return MemberFactory()


@pytest.fixture
def cached_configuration(db, _clear_cache):
    """The layout's configuration row, cached as in production after the first page, so that
    query counts measure the page and not a first-request warm-up."""
    AssemblyConfiguration.current()
