"""What every page needs: the assembly's name and city."""

from django.core.cache import cache

from .models import AssemblyConfiguration

CACHE_KEY = "assembly-configuration"


def cached_configuration() -> AssemblyConfiguration:
    # The configuration changes rarely; caching it keeps it out of every page's query count.
    config = cache.get(CACHE_KEY)
    if config is None:
        config = AssemblyConfiguration.get()
        cache.set(CACHE_KEY, config, 60)
    return config


def assembly(request):
    return {"assembly": cached_configuration()}
