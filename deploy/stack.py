"""The production topology as processes on one machine: `python3 verity.py stack up | down | status`.

docker-compose.yml's shape, from this machine's own packages (Docker cannot run everywhere): Varnish in
front of two gunicorn web instances, the tasks worker and the scheduler, a PostgreSQL cluster and a Redis
of the stack's own, and moto's S3 server standing in for MinIO. Everything listens on loopback, on ports
counted from VERITY_STACK_PORT (default 8400), and keeps its files under .stack/ in the checkout.

`up` starts the services, migrates, loads the demo and writes .stack/env (shell `export` lines, so that
`. .stack/env && .venv/bin/python manage.py ...` runs against the stack). `down` stops exactly what `up`
started, by the process ids it recorded. The web instances, the worker and the scheduler run under a
small supervisor (`stack.py supervise`) that restarts any of them that exits, as compose's
`restart: unless-stopped` does.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / ".stack"
RUN = STACK / "run"
LOG = STACK / "log"
ENV_FILE = STACK / "env"
PYTHON = ROOT / ".venv" / "bin" / "python"
BIN = ROOT / ".venv" / "bin"
BUCKET = "verity-media"


def ports():
    base = int(os.environ.get("VERITY_STACK_PORT", "8400"))
    return {
        "edge": base,
        "web-1": base + 1,
        "web-2": base + 2,
        "s3": base + 10,
        "redis": base + 20,
        "postgres": base + 30,
        "varnish-admin": base + 40,
    }


def public_url():
    return f"http://127.0.0.1:{ports()['edge']}"


def settings_env():
    """What every process of the stack is given: the production settings, pointed at the stack's services."""
    p = ports()
    secret_file = STACK / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
    return {
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secret_file.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WAGTAILADMIN_BASE_URL": public_url(),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{p['postgres']}/verity",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": f"redis://127.0.0.1:{p['redis']}/0",
        # Loopback is plain HTTP: no HTTPS redirect, no HSTS, cookies sent without TLS.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_COOKIES": "false",
        "STATIC_ROOT": str(STACK / "static"),
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{p['s3']}",
        "AWS_ACCESS_KEY_ID": "stack",
        "AWS_SECRET_ACCESS_KEY": "stack",  # noqa: S105 - moto accepts any key
        "AWS_S3_REGION_NAME": "us-east-1",
        # Media is read through the edge, like the pages: Varnish maps /media/ onto the bucket.
        "AWS_S3_CUSTOM_DOMAIN": f"127.0.0.1:{p['edge']}/media",
        "AWS_S3_URL_PROTOCOL": "http:",
        "FRONTEND_CACHE_PURGE_URL": public_url(),
        "LOG_LEVEL": "INFO",
        # The stack shows the topology with the demo's documented logins; a real deployment never sets this.
        "VERITY_DEMO_ALLOWED": "true",
    }


def process_env():
    return {**os.environ, **settings_env(), "PYTHONUNBUFFERED": "1"}


# --- small helpers -------------------------------------------------------------------------------------


def say(message):
    print(f"stack: {message}", flush=True)


def run(*args, env=None, user=None, quiet=False):
    command = [str(arg) for arg in args]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    if not quiet:
        say(" ".join(command))
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=quiet, text=True)
    if completed.returncode:
        if quiet:
            sys.stderr.write(completed.stdout + completed.stderr)
        sys.exit(f"stack: {command[0]} failed ({completed.returncode})")
    return completed


def wait_for_port(port, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"stack: nothing answered on port {port} after {seconds} s (see {LOG})")


def wait_for_http(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own loopback URL
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"stack: {url} did not answer 200 within {seconds} s (see {LOG})")


def port_in_use(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def read_pid(name):
    path = RUN / f"{name}.pid"
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid):
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_pid(name, pid, sig=signal.SIGTERM, seconds=20):
    if not alive(pid):
        return
    say(f"stopping {name} (pid {pid})")
    os.kill(pid, sig)
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)


def daemon(name, *args, env=None):
    """Start a process of ours in the background, its output in .stack/log/<name>.log, its pid recorded."""
    log = open(LOG / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(
        [str(arg) for arg in args], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    (RUN / f"{name}.pid").write_text(str(process.pid))
    return process


# --- the services -----------------------------------------------------------------------------------


def postgres_user():
    """initdb and postgres refuse to run as root; as root, the cluster belongs to the postgres user."""
    return "postgres" if os.geteuid() == 0 else None


def postgres_bin(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        sys.exit(f"stack: PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)")
    return str(candidates[-1])


def start_postgres():
    data = STACK / "postgres"
    user = postgres_user()
    if not (data / "PG_VERSION").exists():
        data.mkdir(parents=True, exist_ok=True)
        if user:
            shutil.chown(data, user)
        run(postgres_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", user=user, quiet=True)
    options = f"-p {ports()['postgres']} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        postgres_bin("pg_ctl"),
        "-D",
        data,
        "-o",
        options,
        "-l",
        data / "server.log",
        "-w",
        "start",
        user=user,
        quiet=True,
    )
    say(f"PostgreSQL on 127.0.0.1:{ports()['postgres']}")


def stop_postgres():
    say("stopping PostgreSQL")
    run(postgres_bin("pg_ctl"), "-D", STACK / "postgres", "-m", "fast", "-w", "stop", user=postgres_user(), quiet=True)


def postgres_pid():
    try:
        return int((STACK / "postgres" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def fresh_database():
    """Every `up` starts from a new database: moto keeps the media bucket in memory, so the demo is reloaded."""
    psql = [postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(ports()["postgres"]), "-U", "postgres", "-q"]
    run(*psql, "-c", "DROP DATABASE IF EXISTS verity WITH (FORCE)", "-c", "CREATE DATABASE verity", quiet=True)


def start_redis():
    run(
        "redis-server",
        "--port", ports()["redis"], "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        # A cache: the least recently used keys go when it is full, so cached pages cannot exhaust memory.
        "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru",
        "--daemonize", "yes", "--pidfile", RUN / "redis.pid", "--logfile", LOG / "redis.log", "--dir", STACK,
        quiet=True,
    )  # fmt: skip
    wait_for_port(ports()["redis"])
    say(f"Redis on 127.0.0.1:{ports()['redis']}")


# The bucket, readable by anyone (media is public; writing needs the keys), as a bucket policy, like MinIO's
# `mc anonymous set download` in docker-compose.
CREATE_PUBLIC_BUCKET = """
import json, os, sys, boto3
bucket = sys.argv[1]
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"])
s3.create_bucket(Bucket=bucket)
statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
"""


def start_s3():
    daemon("s3", BIN / "moto_server", "-H", "127.0.0.1", "-p", ports()["s3"], env=process_env())
    wait_for_port(ports()["s3"])
    run(PYTHON, "-c", CREATE_PUBLIC_BUCKET, BUCKET, env=process_env(), quiet=True)
    say(f"S3 (moto) on 127.0.0.1:{ports()['s3']}, bucket {BUCKET}")


def write_varnish_backends():
    """The stack's backends.vcl: the two web instances with health probes, and the bucket behind /media/."""
    p = ports()
    probe = '.probe = { .url = "/healthz"; .interval = 1s; .timeout = 1s; .window = 3; .threshold = 2; }'
    web = "\n".join(f'backend web_{n} {{ .host = "127.0.0.1"; .port = "{p[f"web-{n}"]}"; {probe} }}' for n in (1, 2))
    (STACK / "varnish").mkdir(exist_ok=True)
    (STACK / "varnish" / "backends.vcl").write_text(
        f"""# Written by `verity.py stack up`; see deploy/varnish/backends.compose.vcl for docker-compose's.
{web}
backend media {{ .host = "127.0.0.1"; .port = "{p["s3"]}"; }}

acl purgers {{ "127.0.0.1"; }}

sub vcl_init {{
    new web = directors.round_robin();
    web.add_backend(web_1);
    web.add_backend(web_2);
}}

sub verity_media {{
    set req.backend_hint = media;
    set req.http.Host = "127.0.0.1:{p["s3"]}";
    set req.http.X-Verity-Media = "1";
    set req.url = regsub(req.url, "^/media/", "/{BUCKET}/");
}}
"""
    )


def start_varnish():
    write_varnish_backends()
    workdir = STACK / "varnish" / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    p = ports()
    run(
        "varnishd",
        "-n", workdir,
        "-a", f"127.0.0.1:{p['edge']}",
        "-T", f"127.0.0.1:{p['varnish-admin']}",
        "-f", ROOT / "deploy" / "varnish" / "default.vcl",
        "-p", f"vcl_path={STACK / 'varnish'}:{ROOT / 'deploy' / 'varnish'}",
        # Threads ready for a burst: one per connection of a 1,000-reader burst (two pools of 500), so none
        # waits while Varnish starts more.
        "-p", "thread_pool_min=500",
        "-s", "malloc,256m",
        "-P", RUN / "varnish.pid",
        quiet=True,
    )  # fmt: skip
    wait_for_port(p["edge"])
    say(f"Varnish on 127.0.0.1:{p['edge']}")


# Supervised: restarted when they exit, as compose's `restart: unless-stopped` does.
def supervised_commands():
    p = ports()
    gunicorn = [BIN / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py", "cms.wsgi:application"]
    return {
        "web-1": (gunicorn, {"GUNICORN_BIND": f"127.0.0.1:{p['web-1']}"}),
        "web-2": (gunicorn, {"GUNICORN_BIND": f"127.0.0.1:{p['web-2']}"}),
        # A short poll, so a publish's cache purge reaches the edge well within a second.
        "tasks": ([PYTHON, "manage.py", "db_worker", "--interval", "0.2", "--no-reload"], {}),
        "scheduler": (
            [PYTHON, "manage.py", "run_scheduler", "--heartbeat", RUN / "scheduler.heartbeat"],
            {},
        ),
    }


def supervise():
    """Run the web instances, the worker and the scheduler; restart any that exits; stop them all on SIGTERM."""
    children = {}
    stopping = False

    def start(name):
        command, extra = supervised_commands()[name]
        children[name] = daemon(name, *command, env={**process_env(), **extra})
        print(f"supervisor: started {name} (pid {children[name].pid})", flush=True)

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name in supervised_commands():
        start(name)
    # Restarts back off (0.5 s, 1 s, ... 10 s) while a process keeps failing, and start again from 0.5 s once
    # it has run for a minute; one failing process never delays another's restart.
    failures, started_at, due = {}, {name: time.monotonic() for name in children}, {}
    while not stopping:
        time.sleep(0.2)
        now = time.monotonic()
        for name, process in list(children.items()):
            if stopping or process.poll() is None:
                continue
            if name not in due:
                if now - started_at[name] > 60:
                    failures[name] = 0
                delay = min(10, 0.5 * 2 ** failures.get(name, 0))
                failures[name] = failures.get(name, 0) + 1
                due[name] = now + delay
                print(f"supervisor: {name} exited ({process.returncode}); restarting in {delay} s", flush=True)
            elif now >= due[name]:
                del due[name]
                start(name)
                started_at[name] = now
    for process in children.values():
        if process.poll() is None:
            process.terminate()
    for process in children.values():
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
    for name in children:
        (RUN / f"{name}.pid").unlink(missing_ok=True)


def write_env_file():
    lines = ["# The stack's settings: `. .stack/env` and manage.py runs against it. Written by `verity.py stack up`."]
    lines += [f"export {name}='{value}'" for name, value in settings_env().items()]
    ENV_FILE.write_text("\n".join(lines) + "\n")


# --- the commands ---------------------------------------------------------------------------------


def up():
    if alive(read_pid("supervisor")):
        sys.exit("stack: already running (python3 verity.py stack down stops it)")
    busy = [f"{name} {port}" for name, port in ports().items() if port_in_use(port)]
    if busy:
        sys.exit(f"stack: ports in use: {', '.join(busy)} (set VERITY_STACK_PORT to move the stack)")
    for folder in (STACK, RUN, LOG):
        folder.mkdir(exist_ok=True)
    write_env_file()
    start_postgres()
    fresh_database()
    start_redis()
    start_s3()
    env = {**process_env(), "DATABASE_STATEMENT_TIMEOUT": "0"}  # migrations may take longer than a request
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env, quiet=True)
    run(PYTHON, "manage.py", "collectstatic", "--noinput", env=env, quiet=True)
    run(PYTHON, "manage.py", "configure_site", env=env, quiet=True)
    demo = run(PYTHON, "manage.py", "load_demo", env=env, quiet=True).stdout
    daemon("supervisor", PYTHON, Path(__file__).resolve(), "supervise", env=os.environ.copy())
    for name in ("web-1", "web-2"):
        wait_for_http(f"http://127.0.0.1:{ports()[name]}/healthz")
    start_varnish()
    wait_for_http(f"{public_url()}/")
    p = ports()
    print(demo.replace("http://127.0.0.1:8000", public_url()), flush=True)
    print(
        f"""The stack is up (python3 verity.py stack down stops it):
  site, through Varnish   {public_url()}/
  admin                   {public_url()}/admin/
  web instances           http://127.0.0.1:{p["web-1"]}/  http://127.0.0.1:{p["web-2"]}/
  S3 (moto), bucket {BUCKET}  http://127.0.0.1:{p["s3"]}/
  PostgreSQL              postgres://postgres@127.0.0.1:{p["postgres"]}/verity
  Redis                   redis://127.0.0.1:{p["redis"]}/0
  settings                . .stack/env   (then .venv/bin/python manage.py ...)
  logs                    {LOG}/""",
        flush=True,
    )


def down():
    stop_pid("varnish", read_pid("varnish"))
    stop_pid("supervisor", read_pid("supervisor"), seconds=40)
    stop_pid("s3", read_pid("s3"))
    stop_pid("redis", read_pid("redis"))
    if alive(postgres_pid()):
        stop_postgres()
    for name in ("varnish", "supervisor", "s3", "redis"):
        (RUN / f"{name}.pid").unlink(missing_ok=True)
    say("stopped")


def status():
    names = ["varnish", "supervisor", *supervised_commands(), "s3", "redis"]
    for name in names:
        pid = read_pid(name)
        print(f"  {name:<11} {'running, pid ' + str(pid) if alive(pid) else 'stopped'}")
    pid = postgres_pid()
    print(f"  {'postgres':<11} {'running, pid ' + str(pid) if alive(pid) else 'stopped'}")


# --- faults, for trying what users see when a part fails (tests/stack/test_faults.py) ------------------


def processes_of(service):
    """The process ids that make up a service: PostgreSQL's postmaster and its backends, or one pid."""
    pid = postgres_pid() if service == "postgres" else read_pid(service)
    if not alive(pid):
        return []
    if service != "postgres":
        return [pid]
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid, *map(int, children)]


def fault(action, service):
    """stop | start | pause | resume a service of the stack: redis, postgres, or a supervised process."""
    if service not in ("redis", "postgres", *supervised_commands()):
        sys.exit(f"stack: no service {service!r}")
    if action == "stop":
        if service == "postgres":
            stop_postgres()
        elif service == "redis":
            stop_pid(service, read_pid(service))
        else:
            os.kill(read_pid(service), signal.SIGKILL)  # the supervisor starts it again, as compose would
    elif action == "start":
        start_postgres() if service == "postgres" else start_redis()
    elif action in ("pause", "resume"):
        for pid in processes_of(service):
            os.kill(pid, signal.SIGSTOP if action == "pause" else signal.SIGCONT)


def usage():
    sys.exit(
        "usage: python3 verity.py stack up | down | status\n"
        "       python3 verity.py stack stop | start | pause | resume SERVICE   (redis, postgres, web-1, tasks, ...)"
    )


COMMANDS = {"up": up, "down": down, "status": status, "supervise": supervise}
FAULTS = ("stop", "start", "pause", "resume")

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in FAULTS:
        fault(sys.argv[1], sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] in COMMANDS:
        COMMANDS[sys.argv[1]]()
    else:
        usage()
