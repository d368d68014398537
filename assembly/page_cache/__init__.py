"""Anonymous public pages served from the shared cache, and the content version that keeps them
and every kept part exact. One module per job:

- versioning.py — which statements change what pages show, and the versions (per table) they
  replace once their transaction commits;
- reads.py — what each kept page and part reads, declared by the apps: the tables whose writes
  renew it;
- keys.py — where a page is kept (version, minute, language, host, path, the parameters it reads);
- storage.py — how it is kept (head, body, gzip; the biggest in the worker's memory too);
- csrf.py — the placeholder a kept page or part holds instead of a visitor's CSRF token;
- middleware.py — the two-phase middleware and the pages it keeps;
- recovery.py — what happens when the shared cache answers again after failing.

docs/architecture.md ("Page cache") and docs/security.md say what each page does while Redis fails.
"""

from .csrf import csrf_placeholder, holds_placeholder, insert_token, placeholder
from .keys import current_minute, page_key
from .middleware import ARCHIVE_REQUEST, PUBLIC_PAGES, AnonymousPageCacheMiddleware, _may_keep
from .reads import Without, also_reads, declare_page, declare_part
from .storage import TIMEOUT, Kept, LocalPages, local_pages
from .versioning import (
    IGNORED_TABLES,
    VERSION_KEY,
    Versions,
    bump_content_version,
    changes_shown_content,
    content_version,
    install,
    writes_shown_content,
    written_table,
)

__all__ = [
    "ARCHIVE_REQUEST",
    "IGNORED_TABLES",
    "PUBLIC_PAGES",
    "TIMEOUT",
    "VERSION_KEY",
    "AnonymousPageCacheMiddleware",
    "Kept",
    "LocalPages",
    "Versions",
    "Without",
    "_may_keep",
    "also_reads",
    "bump_content_version",
    "changes_shown_content",
    "content_version",
    "csrf_placeholder",
    "current_minute",
    "declare_page",
    "declare_part",
    "holds_placeholder",
    "insert_token",
    "install",
    "local_pages",
    "page_key",
    "placeholder",
    "writes_shown_content",
    "written_table",
]
