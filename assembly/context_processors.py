"""What every page needs: the assembly's name and city."""

from .models import CONFIGURATION_ROW, AssemblyConfiguration

# The name the configuration row is kept under (assembly/page_cache/versioning.py).
CACHE_KEY = CONFIGURATION_ROW


def cached_configuration(request=None) -> AssemblyConfiguration:
    # Kept out of every page's query count: read once per version of its table in each process,
    # which this request already read with its own when it did (page cache, kept parts).
    return AssemblyConfiguration.current(versions=getattr(request, "content_versions", None))


def assembly(request):
    return {"assembly": cached_configuration(request)}
