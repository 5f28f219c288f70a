"""The production stack (`python3 verity.py stack up`), tried from outside over HTTP.

These tests run when the stack is up (its settings in .stack/env, or VERITY_STACK_ENV), and are skipped
otherwise, unless VERITY_REQUIRE_STACK=1 (CI) makes a missing stack a failure. Setting up what a test
needs (an API token, a thousand posts) goes through manage.py with the stack's settings; what is
asserted is what readers and editors get over HTTP.
"""

import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent.parent


def read_env_file(path):
    env = {}
    for line in path.read_text().splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = shlex.split(value)[0] if value else ""
    return env


@dataclass
class Stack:
    env: dict
    root: Path = ROOT

    @property
    def edge(self):
        return self.env["WAGTAILADMIN_BASE_URL"]

    def instance(self, n):
        port = int(self.edge.rsplit(":", 1)[1]) + n
        return f"http://127.0.0.1:{port}"

    @property
    def instances(self):
        return [self.instance(1), self.instance(2)]

    def manage(self, *args, input=None):
        completed = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            # Setup commands (a thousand posts) may run statements longer than a reader's request may.
            env={**os.environ, **self.env, "DATABASE_STATEMENT_TIMEOUT": "0"},
            input=input,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout

    def python(self, code):
        """Run Python in the stack's Django (setup only: what a test arranges, never what it asserts)."""
        return self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1]

    def api_token(self, username):
        return self.python(
            "from django.contrib.auth import get_user_model; from wagtail.models import APIToken; "
            f"user = get_user_model().objects.get(username={username!r}); "
            "print(APIToken.create_token(user=user, name='stack test')[1])"
        )

    def fault(self, action, service):
        """stop | start | pause | resume one of the stack's services (deploy/stack.py)."""
        completed = subprocess.run(
            [sys.executable, "deploy/stack.py", action, service],
            cwd=ROOT,
            env={**os.environ, "VERITY_STACK_PORT": self.edge.rsplit(":", 1)[1]},  # the stack being tried
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert completed.returncode == 0, completed.stdout + completed.stderr

    def varnishadm(self, *args):
        workdir = ROOT / ".stack" / "varnish" / "work"
        completed = subprocess.run(["varnishadm", "-n", str(workdir), *args], capture_output=True, text=True)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        return completed.stdout


@pytest.fixture(scope="session")
def stack():
    env_file = Path(os.environ.get("VERITY_STACK_ENV", ROOT / ".stack" / "env"))
    problem = None
    if not env_file.exists():
        problem = f"no {env_file}"
    else:
        found = Stack(read_env_file(env_file))
        try:
            requests.get(f"{found.edge}/healthz", timeout=2).raise_for_status()
        except requests.RequestException as error:
            problem = f"the stack does not answer at {found.edge}: {error}"
    if problem:
        message = f"The production stack is not running ({problem}); start it with: python3 verity.py stack up"
        if os.environ.get("VERITY_REQUIRE_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return found


def wait_until(check, seconds, interval=0.05):
    """Seconds until check() is true; fails the test when it is still false after `seconds`."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > seconds:
            pytest.fail(f"still not true after {seconds} s: {check.__doc__ or check}")
        time.sleep(interval)


def pytest_collection_modifyitems(config, items):
    """The fault tests last: they leave services restarting (the tasks worker backs off after a database
    outage), which the topology's one-second publish test must not meet."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/stack/test_faults.py"))
