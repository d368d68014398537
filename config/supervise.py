"""The supervisor of `make serve`: config/serve.py hands it the profile's commands (JSON: a list of
[name, command]) and replaces itself with it. It starts each command, passes SIGTERM and SIGINT on,
and stops them all when one stops, as honcho did.

It runs as a script, not as a module of the config package: the package's `__init__` loads Celery,
and this process stays in memory as long as the set runs (the standard library alone: ~8 MB, where
honcho's four processes took 30)."""

import json
import os
import signal
import subprocess
import sys

STOP_SECONDS = 30


class _Stopped(Exception):
    pass


def _stop(signum, frame):
    raise _Stopped(signum)


def main(argv: list[str]) -> int:
    (commands,) = argv
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    running: dict[int, tuple[str, subprocess.Popen]] = {}
    code = 0
    try:
        for name, command in json.loads(commands):
            process = subprocess.Popen(command)
            running[process.pid] = (name, process)
            print(f"serve: {name} started (pid {process.pid})", flush=True)
        pid, status = os.wait()
        name, process = running.pop(pid)
        process.returncode = code = os.waitstatus_to_exitcode(status)
        print(f"serve: {name} exited ({code}); stopping the others", flush=True)
    except _Stopped:
        pass
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for _name, process in running.values():
            process.terminate()
        for _name, process in running.values():
            try:
                process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
