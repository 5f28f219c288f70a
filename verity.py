#!/usr/bin/env python3
"""Verity's two commands, for a machine with Python 3.11+ and nothing else.

    python3 verity.py start   # install, migrate, load the demo and serve http://127.0.0.1:8000
    python3 verity.py test    # install and run the whole test suite (pytest arguments pass through)
    python3 verity.py stack up | down | status   # the production topology as processes (deploy/stack.py)

The first run makes a virtual environment in .venv and installs requirements-dev.txt into it; later
runs reinstall only when the requirements files change.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
STAMP = VENV / ".requirements.sha256"


def run(*args, env=None):
    print("+", " ".join(str(arg) for arg in args), flush=True)
    completed = subprocess.run([str(arg) for arg in args], cwd=ROOT, env=env)
    if completed.returncode:
        sys.exit(completed.returncode)


def requirements_digest():
    return hashlib.sha256(b"".join(path.read_bytes() for path in REQUIREMENTS)).hexdigest()


def ensure_environment():
    if sys.version_info < (3, 11):
        sys.exit("Verity needs Python 3.11 or newer.")
    if not PYTHON.exists():
        venv.create(VENV, with_pip=True)
    digest = requirements_digest()
    if not STAMP.exists() or STAMP.read_text() != digest:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements-dev.txt")
        STAMP.write_text(digest)


def start(args):
    address = args[0] if args else "127.0.0.1:8000"
    # The links the demo prints and the emails carry point at the address the server runs on.
    host, _, port = address.rpartition(":")
    host = "127.0.0.1" if host in ("", "0.0.0.0") else host  # noqa: S104 - a browser reaches it here
    base_url = f"http://{host}:{port}"
    env = {"WAGTAILADMIN_BASE_URL": base_url, **os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    run(PYTHON, "manage.py", "load_demo", env=env)
    run(PYTHON, "manage.py", "runserver", address, *args[1:], env=env)


def test(args):
    if args:
        run(PYTHON, "-m", "pytest", *args)
        return
    # The whole suite: all but the production stack's tests spread over the machine's cores (a database and
    # a browser per worker), then those one at a time against the one stack, whose fault tests break its
    # services on purpose. Tests are handed out in pytest-django's order (transactional ones, which empty
    # the database, last on each worker), not by file. The slowest are listed, to see where the time goes.
    run(PYTHON, "-m", "pytest", "-n", "auto", "--durations=15", "--ignore=tests/stack")
    run(PYTHON, "-m", "pytest", "--durations=5", "tests/stack")


def stack(args):
    run(PYTHON, ROOT / "deploy" / "stack.py", *(args or ["status"]))


COMMANDS = {"start": start, "test": test, "stack": stack}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    ensure_environment()
    COMMANDS[sys.argv[1]](sys.argv[2:])
