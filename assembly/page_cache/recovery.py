"""After the shared cache failed: move the content version forward and forget what this worker
keeps, since a write may have happened that no kept copy was told of."""

import logging

from .. import fragments
from ..models import CacheOutage
from . import storage, versioning

logger = logging.getLogger(__name__)


def forget_after_outage(sender=None, **kwargs) -> None:
    """assembly.cache.recovered: the first successful contact after a failure."""
    versioning.recoveries += 1
    storage.local_pages.clear()
    fragments.forget_all()
    versioning.forget_rows()
    if versioning.bump_content_version():
        logger.warning("page cache: the shared cache answers again; content version moved on")


def recover_recorded_outages() -> int:
    """A periodic task: bumps lost by any process (written down in CacheOutage, since the process
    may be gone) are made good by one new version; their rows go once it is taken."""
    noticed = list(CacheOutage.objects.values_list("pk", flat=True))
    if not noticed:
        return 0
    if not versioning.bump_content_version():
        return 0
    CacheOutage.objects.filter(pk__in=noticed).delete()
    return len(noticed)
