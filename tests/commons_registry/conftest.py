import pytest
from django.core.cache import cache

from assembly.context_processors import CACHE_KEY
from assembly.models import AssemblyConfiguration


@pytest.fixture
def configured(db):
    """The assembly's configuration row exists and is cached, as on any server after one page."""
    cache.set(CACHE_KEY, AssemblyConfiguration.get(), 60)
