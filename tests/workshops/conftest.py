import pytest
from django.core.cache import cache

from assembly.context_processors import CACHE_KEY
from assembly.models import AssemblyConfiguration


@pytest.fixture
def warm_configuration(db):
    """The configuration row is cached across requests; load it so that query counts are steady."""
    cache.set(CACHE_KEY, AssemblyConfiguration.get(), 60)
