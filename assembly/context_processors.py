"""What every page needs: the assembly's name and city."""

from .models import CONFIGURATION_CACHE_KEY, AssemblyConfiguration

# Tests warm the cache under this key.
CACHE_KEY = CONFIGURATION_CACHE_KEY


def cached_configuration() -> AssemblyConfiguration:
    # Kept out of every page's query count: the shared cache, forgotten on save (models.py).
    return AssemblyConfiguration.current()


def assembly(request):
    return {"assembly": cached_configuration()}
