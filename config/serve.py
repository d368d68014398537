"""`make serve`: the production process set of the profile, in the foreground.

    python -m config.serve            web, task worker and (unless inside the worker) beat
    python -m config.serve web        one of them alone, as compose runs each service
    python -m config.serve worker
    python -m config.serve beat       in a profile whose worker runs beat, says so and idles

Every process reads the same environment (DATABASE_URL, REDIS_URL, ASSEMBLEE_PROFILE, HOST, PORT).
"""

import json
import os
import sys
from pathlib import Path

from config import settings
from config.profiles import beat_command, web_command, worker_command


def commands(profile_name: str, python: str = sys.executable) -> dict[str, list[str]]:
    profile = settings.PROFILES[profile_name]
    schedule = settings.CELERY_BEAT_SCHEDULE_FILENAME
    found = {"web": web_command(python), "worker": worker_command(profile, schedule, python)}
    beat = beat_command(profile, schedule, python)
    if beat is not None:
        found["beat"] = beat
    return found


def main(argv: list[str]) -> int:
    found = commands(settings.ASSEMBLEE_PROFILE)
    if argv:
        (name,) = argv
        if name == "beat" and "beat" not in found:
            print(
                f"Profile {settings.ASSEMBLEE_PROFILE!r}: beat runs inside the task worker.",
                flush=True,
            )
            # compose's beat service stays up doing nothing: as `sleep`, not as this interpreter
            # with Django's settings and Celery loaded (2 MB resident instead of 35).
            os.execvp("sleep", ["sleep", "infinity"])  # noqa: S606 - a fixed command
            return 0
        # Replaced by the process itself, so that compose's signals reach it directly.
        os.execv(found[name][0], found[name])  # noqa: S606 - our own fixed command line
    # config/supervise.py runs them together and stops them all when one stops: this process
    # becomes it, a fresh interpreter without the Django and Celery modules read until here.
    supervisor = str(Path(__file__).with_name("supervise.py"))
    os.execv(sys.executable, [sys.executable, supervisor, json.dumps(list(found.items()))])  # noqa: S606
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
