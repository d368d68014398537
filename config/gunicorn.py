"""gunicorn's settings for `make serve` and compose: the profile's web workers (config/profiles.py)
on HOST:PORT. Read by `gunicorn -c config/gunicorn.py config.wsgi:application`."""

import gc

from config import settings

_profile = settings.PROFILES[settings.ASSEMBLEE_PROFILE]

bind = f"{settings.HOST}:{settings.PORT}"
workers = _profile.web_workers
threads = _profile.web_threads
worker_class = "gthread" if _profile.web_threads > 1 else "sync"
preload_app = _profile.preload_app
# Workers are recycled after this many requests (with jitter, so they do not all restart at once):
# whatever a long-lived process accumulates is given back.
max_requests = _profile.max_requests
max_requests_jitter = max(1, _profile.max_requests // 10)
# Uploads of up to 20 MB (imports) on a slow line; the reverse proxy's own limits are in README.md.
timeout = 120
graceful_timeout = 30
accesslog = "-"
errorlog = "-"


def pre_fork(server, worker):
    """Just before the master forks a worker: the preloaded application's objects leave the
    garbage collector's view (gc.freeze), so that a worker's collections do not write to every one
    of them and copy the pages it shares with the master and the other workers."""
    gc.freeze()
