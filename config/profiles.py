"""The production process sets: how many web and task processes run, sized for the server.

`ASSEMBLEE_PROFILE` (read once in config/settings.py) picks one; `make serve` (config/serve.py),
gunicorn (config/gunicorn.py) and the compose file all read it, so the three start the same set.
Memory measured on the large demo data: docs/performance.md, "Memory".
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    # gunicorn: sync workers (each answers one request at a time), threads per worker, whether the
    # application is loaded once in the master before forking (its pages are then shared, which
    # is what makes two workers cost little more than one), and the recycling of workers.
    web_workers: int
    web_threads: int
    preload_app: bool
    max_requests: int
    # Celery: one worker process; its pool ("prefork": this many children, each replaced after
    # max_tasks_per_child tasks; "solo": the tasks run in the worker process itself, one at a
    # time); beat in a thread of the worker (`--beat-thread`, config/celery.py) or on its own.
    task_pool: str
    task_concurrency: int
    beat_in_worker: bool
    max_tasks_per_child: int


PROFILES = {
    # One assembly on a 512 MB server, PostgreSQL and Redis included: two web workers sharing the
    # preloaded application; the tasks and the scheduler in one process (a prefork child and
    # celery's own `-B`, a process too, cost 60 to 90 MB more: docs/performance.md, "Memory").
    "small": Profile(
        web_workers=2,
        web_threads=1,
        preload_app=True,
        max_requests=1000,
        task_pool="solo",
        task_concurrency=1,
        beat_in_worker=True,
        max_tasks_per_child=0,
    ),
    # A busier assembly or several on 1 GB and more: four web workers, two task children and
    # beat as its own process.
    "standard": Profile(
        web_workers=4,
        web_threads=1,
        preload_app=True,
        max_requests=2000,
        task_pool="prefork",
        task_concurrency=2,
        beat_in_worker=False,
        max_tasks_per_child=500,
    ),
}


def web_command(python: str = "python") -> list[str]:
    return [python, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]


def worker_command(profile: Profile, schedule: str, python: str = "python") -> list[str]:
    command = [
        python, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
        f"--pool={profile.task_pool}", f"--concurrency={profile.task_concurrency}",
    ]  # fmt: skip
    if profile.max_tasks_per_child:
        command.append(f"--max-tasks-per-child={profile.max_tasks_per_child}")
    if profile.beat_in_worker:
        command += ["--beat-thread", f"--schedule={schedule}"]
    return command


def beat_command(profile: Profile, schedule: str, python: str = "python") -> list[str] | None:
    """beat on its own, or None when the profile runs it inside the task worker."""
    if profile.beat_in_worker:
        return None
    return [python, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO", f"--schedule={schedule}"]  # fmt: skip
