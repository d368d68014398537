import pytest

from assembly.models import AssemblyConfiguration


@pytest.fixture
def warm_configuration(db):
    """The configuration row is cached across requests; load it so that query counts are steady."""
    AssemblyConfiguration.current()
