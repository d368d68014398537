import pytest

from assembly.models import AssemblyConfiguration


@pytest.fixture
def configured(db):
    """The assembly's configuration row exists and is cached, as on any server after one page."""
    AssemblyConfiguration.current()
