"""Benchmark: the site as production serves it (`verity.py stack`), beside a floor view, in one interleaved run.

    python3 verity.py stack up                   # the stack; VERITY_STACK_PORT moves it (default 8400)
    python3 bench/stack.py                       # every case, 3 interleaved rounds of 10 s each
    python3 bench/stack.py --overload            # then the 1,000-connection checks
    python3 bench/stack.py --rounds 5 -d 15 --json results.json

It reads the stack's addresses from .stack/env, starts the floor (bench/floor/: a minimal Django project,
default middleware, one template view, no database) under gunicorn with the web instances' own settings
(deploy/gunicorn.conf.py), runs wrk against every case round-robin (A, B, C, A, B, C, ...) so that the
machine's background noise hits all of them alike, and prints the medians over the rounds as a markdown
table, each against the floor:

- req/s, and its ratio to the floor's;
- CPU milliseconds per request of the server: the processes holding the listening socket and their
  children (a gunicorn master and its workers, Varnish's), counting workers that gunicorn recycled
  during the run (their time moves into the master's children's time); its ratio to the floor's;
- the CPU per request of the stack's PostgreSQL (all its backends) and Redis, which the floor has not;
- p50 and p99 latency, the response's size, and its cache header (X-Cache from the application's page
  cache, X-Edge-Cache from Varnish) on a probe before the run;
- the SQL queries of the cold pages, counted with CaptureQueriesContext by the same URL through Django's
  test client under the stack's settings (`. .stack/env`).

Cold cases go straight at a web instance with a query parameter that no request repeats
(`?bench-cold=RUN-THREAD-N`): the application's page cache keys on the full path, so every request misses,
renders and stores, as a reader of an uncached page costs; Varnish is not on the way. The API refuses
parameters it does not declare, so its cold cases instead carry a `messages` cookie (a flash message's,
with nothing valid in it): a request with one is personal, which the page cache never serves nor stores.
Warm cases: the same URL every time, straight at a web instance (the page cache) or through Varnish (the edge).

`--overload` then runs, through Varnish, `wrk -c1000 -d20s` on the seed post (errors, p99), and straight
at web-1 a 1,000-connection burst of cold seed-post requests for 20 s; right after it, the time a new single
request takes to get its answer, and, from .stack/log/web-1.log, how many of the burst's requests were
rendered (200) or dropped unrendered (499, cms/wsgi.py) after wrk had closed its connections.

Only loopback addresses are used. The numbers are for ratios within one run: the machine is shared.
"""

import argparse
import json
import os
import re
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR_DIR = ROOT / "bench" / "floor"
VENV_BIN = ROOT / ".venv" / "bin"
SEED_POST = "/blog/what-it-means-if-you-cry-after-sex/"
COLD_PARAM = "bench-cold"
# The API's cold cases: a reader with a flash message waiting is served uncached (cms/caching/http_cache.py).
COLD_COOKIE = "Cookie: messages=bench-cold"

# done() prints wrk's summary as JSON; request() (only for cold cases) makes every URL unique.
LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"bytes\":%d," ..
    "\"p50\":%d,\"p90\":%d,\"p99\":%d,\"max\":%d," ..
    "\"err_connect\":%d,\"err_read\":%d,\"err_write\":%d,\"err_status\":%d,\"err_timeout\":%d}\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""
LUA_COLD = r"""
local thread_number = 0
setup = function(thread)
  thread_number = thread_number + 1
  thread:set("tid", thread_number)
end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "%(sep)s%(param)s=%(tag)s-" .. tid .. "-" .. counter)
end
"""
ERROR_KINDS = ("err_connect", "err_read", "err_write", "err_status", "err_timeout")


# --- the stack and its processes ----------------------------------------------------------------------


def read_stack_env(path):
    """The `export NAME='value'` lines that `verity.py stack up` writes."""
    env = {}
    for line in Path(path).read_text().splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export ") :].partition("=")
            env[name] = shlex.split(value)[0] if value else ""
    return env


def stack_ports(env):
    edge = urllib.parse.urlsplit(env["WAGTAILADMIN_BASE_URL"]).port
    return {
        "edge": edge,
        "web-1": edge + 1,
        "web-2": edge + 2,
        "postgres": urllib.parse.urlsplit(env["DATABASE_URL"]).port,
        "redis": urllib.parse.urlsplit(env["REDIS_URL"]).port,
    }


def listening_pids(port):
    """The processes holding the listening socket of a loopback port (needs root or the same user)."""
    command = ["ss", "-Htlnp", f"sport = :{port}"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False).stdout  # noqa: S607
    return sorted({int(pid) for pid in re.findall(r"pid=(\d+)", out)})


def children(pid):
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                kids += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return kids


def process_tree(roots):
    seen, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo += children(pid)
    return seen


def tree_cpu_seconds(roots):
    """utime + stime + the reaped children's cutime + cstime, over the tree under roots, now.

    A worker that exits during a run (gunicorn's max_requests) moves its time into its master's cutime, and
    one started during it is in the tree at the end: the difference of two readings is the tree's CPU.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in process_tree(roots):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(value) for value in fields[11:15])
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def start_floor(port, log_path):
    """The floor under gunicorn, with deploy/gunicorn.conf.py: the web instances' workers, backlog, recycling."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "floorapp.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("WEB_CONCURRENCY", "GUNICORN_BACKLOG", "GUNICORN_MAX_REQUESTS", "GUNICORN_TIMEOUT"):
        env.pop(name, None)  # the stack's web instances get the config file's defaults
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "floorapp.wsgi:application"],
        cwd=FLOOR_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the floor's gunicorn exited ({process.returncode}); see {log_path}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.2)
    process.terminate()
    sys.exit(f"the floor did not answer on port {port}; see {log_path}")


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


# --- requests -------------------------------------------------------------------------------------------


def with_param(path, name, value):
    return f"{path}{'&' if '?' in path else '?'}{name}={value}"


def get(url, timeout=60, headers=()):
    """status, body length, headers, seconds; `headers` as wrk's -H takes them."""
    started = time.perf_counter()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url, headers={"User-Agent": "verity-bench", **dict(header.split(": ", 1) for header in headers)}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            body = response.read()
            return response.status, len(body), dict(response.headers), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        body = error.read()
        return error.code, len(body), dict(error.headers), time.perf_counter() - started


def run_wrk(url, seconds, threads, connections, cold_tag=None, timeout=10, headers=()):
    script = LUA_DONE
    if cold_tag:
        sep = "&" if "?" in url else "?"
        script += LUA_COLD % {"sep": sep, "param": COLD_PARAM, "tag": cold_tag}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{timeout}s"]
        command += [arg for header in headers for arg in ("-H", header)]
        out = subprocess.run([*command, "-s", f.name, url], capture_output=True, text=True, check=False)
    finally:
        os.unlink(f.name)
    found = re.search(r"BENCHJSON (\{.*\})", out.stdout)
    if not found:
        raise RuntimeError(f"wrk's output not understood:\n{out.stdout}\n{out.stderr}")
    result = json.loads(found.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[kind] for kind in ERROR_KINDS)
    return result


# --- query counts, in a child process under the stack's settings -----------------------------------------


def count_queries_child(paths, host):
    """Run by the venv's Python with the stack's environment: site facts, and each path's SQL queries."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from blog.models import POSTS_PER_PAGE, BlogPostPage

    posts = BlogPostPage.objects.live().public()
    seed = posts.get(slug=SEED_POST.strip("/").split("/")[-1])
    tagged = posts.filter(tags__slug="sex").count()
    facts = {
        "posts": posts.count(),
        "tagged": tagged,
        "posts_per_page": POSTS_PER_PAGE,
        "seed_id": seed.id,
        "deep_page": max(1, posts.count() // POSTS_PER_PAGE // 2),
    }
    # Render every time: the page cache is not what is counted (Redis keeps pages of earlier runs).
    settings.VERITY_PAGE_CACHE = False
    client = Client(HTTP_HOST=host)
    counts = {}
    for path in paths:
        path = path.format(**facts)
        client.get(path)  # image renditions, caches of the process
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        counts[path] = {"status": response.status_code, "queries": len(queries)}
    print("COUNTJSON " + json.dumps({"facts": facts, "counts": counts}))


def site_facts_and_queries(stack_env, paths, host):
    env = {**os.environ, **stack_env, "LOG_LEVEL": "ERROR"}
    out = subprocess.run(
        [str(VENV_BIN / "python"), __file__, "--count-queries-child", host, *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.search(r"COUNTJSON (\{.*\})", out.stdout)
    if not found:
        sys.exit(f"counting queries failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(found.group(1))


# --- the cases --------------------------------------------------------------------------------------------

# (label, where, path, cold): where is floor, web (web-1) or edge (Varnish); cold is False, "param" (a query
# parameter no request repeats) or "cookie" (COLD_COOKIE, for the API). Paths take the site's facts.
CASES = [
    ("floor", "floor", "/", False),
    ("seed post, cold", "web", SEED_POST, "param"),
    ("seed post, application cache", "web", SEED_POST, False),
    ("seed post, through Varnish", "edge", SEED_POST, False),
    ("API post detail, cold", "web", "/api/v3/posts/{seed_id}/", "cookie"),
    ("blog index, cold", "web", "/blog/", "param"),
    ("blog index, deep page, cold", "web", "/blog/?page={deep_page}", "param"),
    ("tag filter, cold", "web", "/blog/?tag=sex", "param"),
    ("search, cold", "web", "/search/?q=sex", "param"),
    ("RSS feed, cold", "web", "/blog/feed/", "param"),
    ("API posts, cold", "web", "/api/v3/posts/", "cookie"),
]


def cache_header(headers):
    parts = []
    for name in ("X-Cache", "X-Edge-Cache"):
        if headers.get(name):
            parts.append(f"{name.lower()}: {headers[name]}")
    return ", ".join(parts) or "-"


def benchmark(args, stack_env, ports, floor_port, floor_log, run_id):
    paths = sorted({path for _, where, path, _ in CASES if where != "floor"})
    counted = site_facts_and_queries(stack_env, paths, f"127.0.0.1:{ports['edge']}")
    facts, counts = counted["facts"], counted["counts"]
    bases = {
        "floor": f"http://127.0.0.1:{floor_port}",
        "web": f"http://127.0.0.1:{ports['web-1']}",
        "edge": f"http://127.0.0.1:{ports['edge']}",
    }
    servers = {"floor": [floor_port], "web": [ports["web-1"]], "edge": [ports["edge"]]}
    cases = [
        {"label": label, "where": where, "path": path.format(**facts), "cold": cold}
        for label, where, path, cold in CASES
        if not args.only or where == "floor" or args.only in label
    ]
    print(
        f"# {facts['posts']} live posts ({facts['tagged']} tagged sex), {facts['posts_per_page']} a page; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} interleaved rounds, "
        f"nproc={os.cpu_count()}",
        flush=True,
    )
    for case in cases:
        url = bases[case["where"]] + case["path"]
        case["headers"] = [COLD_COOKIE] if case["cold"] == "cookie" else []
        param = case["cold"] == "param"
        get(with_param(url, COLD_PARAM, f"{run_id}-probe") if param else url, headers=case["headers"])  # warm up
        probe = with_param(url, COLD_PARAM, f"{run_id}-p2") if param else url
        status, size, headers, _ = get(probe, headers=case["headers"])
        case.update(url=url, status=status, bytes=size, cache=cache_header(headers), runs=[])
        # The queries of a render; a hit of either cache makes none.
        case["queries"] = counts.get(case["path"], {}).get("queries") if case["cold"] else 0
        print(f"# {case['label']}: {url} status={status} bytes={size} {case['cache']}", flush=True)
        if status != 200:
            print(f"#   not a 200: {case['label']} is measured as it answers", flush=True)

    roots = {name: [pid for port in ports_ for pid in listening_pids(port)] for name, ports_ in servers.items()}
    extra = {"postgres": listening_pids(ports["postgres"]), "redis": listening_pids(ports["redis"])}
    web_roots = listening_pids(ports["web-1"]) + listening_pids(ports["web-2"])
    web_logs = [ROOT / ".stack" / "log" / f"{name}.log" for name in ("web-1", "web-2")]
    logs = {"floor": [floor_log], "web": web_logs[:1], "edge": web_logs}
    for n, case in enumerate(cases):
        if args.warmup:
            tag = f"{run_id}w{n}" if case["cold"] == "param" else None
            run_wrk(case["url"], args.warmup, args.threads, args.connections, tag, headers=case["headers"])
    for round_number in range(1, args.rounds + 1):
        for n, case in enumerate(cases):
            tag = f"{run_id}r{round_number}c{n}" if case["cold"] == "param" else None
            groups = {"server": roots[case["where"]], **extra, "web": web_roots}
            offsets = {log: log_size(log) for log in logs[case["where"]]}
            before = {name: tree_cpu_seconds(pids) for name, pids in groups.items()}
            result = run_wrk(case["url"], args.duration, args.threads, args.connections, tag, headers=case["headers"])
            after = {name: tree_cpu_seconds(pids) for name, pids in groups.items()}
            result["worker_boots"] = sum(worker_boots(log, offset) for log, offset in offsets.items())
            for name in groups:
                delta = after[name] - before[name]
                result[f"cpu_{name}_ms"] = delta * 1000 / result["requests"] if result["requests"] else None
            result["loadavg1"] = os.getloadavg()[0]
            case["runs"].append(result)
            print(
                f"round {round_number} {case['label']}: {result['rps']:.1f} req/s, "
                f"server CPU {number(result['cpu_server_ms'])} ms/req, db {number(result['cpu_postgres_ms'])}, "
                f"p50 {result['p50'] / 1000:.1f} ms, p99 {result['p99'] / 1000:.1f} ms, "
                f"errors {result['errors']}, gunicorn workers booted {result['worker_boots']}, "
                f"load {result['loadavg1']:.2f}",
                flush=True,
            )
    for case in cases:
        for key in ("rps", "p50", "p99", "cpu_server_ms", "cpu_postgres_ms", "cpu_redis_ms", "cpu_web_ms"):
            values = [run[key] for run in case["runs"] if run.get(key) is not None]
            case[key] = statistics.median(values) if values else None
        case["errors"] = sum(run["errors"] for run in case["runs"])
        case["worker_boots"] = sum(run["worker_boots"] for run in case["runs"])
        case["rps_range"] = (min(r["rps"] for r in case["runs"]), max(r["rps"] for r in case["runs"]))
    return facts, cases


def number(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(value, reference, digits=2):
    return "-" if value is None or not reference else f"{value / reference:.{digits}f}"


def log_size(path):
    try:
        return path.stat().st_size
    except OSError:
        return 0


def worker_boots(path, offset):
    """gunicorn workers started since offset: recycled after max_requests, or replacing one that died."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read().count(b"Booting worker with pid")
    except OSError:
        return 0


def print_table(facts, cases):
    floor = cases[0]
    print(f"\n{facts['posts']} live posts\n")
    print(
        "| case | URL | status | KB | cache | req/s | req/s ÷ floor | server CPU ms/req | CPU ÷ floor "
        "| PostgreSQL CPU ms/req | p50 ms | p99 ms | errors | workers booted | queries |"
    )
    print("| --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for case in cases:
        url = with_param(case["path"], COLD_PARAM, "…") if case["cold"] == "param" else case["path"]
        url += " (with the cookie)" if case["cold"] == "cookie" else ""
        where = {"floor": "floor", "web": "web-1", "edge": "Varnish"}[case["where"]]
        cpu = case["cpu_server_ms"]
        print(
            f"| {case['label']} | {where} `{url}` | {case['status']} | {case['bytes'] / 1024:.1f} | {case['cache']} "
            f"| {case['rps']:.1f} | {ratio(case['rps'], floor['rps'])} | {number(cpu)} "
            f"| {ratio(cpu, floor['cpu_server_ms'], 1)} | {number(case['cpu_postgres_ms'])} "
            f"| {case['p50'] / 1000:.1f} | {case['p99'] / 1000:.1f} | {case['errors']} | {case['worker_boots']} "
            f"| {case['queries']} |"
        )
    edge = [case for case in cases if case["where"] == "edge"]
    for case in edge:
        print(f"\n{case['label']}: the web instances' CPU during it, {number(case['cpu_web_ms'], 3)} ms per request.")


# --- overload ------------------------------------------------------------------------------------------------


ACCESS_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3}) ')


def burst_statuses(log_path, start, end, tag):
    """Statuses of the burst's requests in web-1's access log between two byte offsets."""
    with open(log_path, "rb") as f:
        f.seek(start)
        text = f.read(end - start if end is not None else -1).decode(errors="replace")
    statuses = {}
    for path, status in ACCESS_LINE.findall(text):
        if f"{COLD_PARAM}={tag}-" in path:
            statuses[status] = statuses.get(status, 0) + 1
    return statuses


def overload(args, ports, run_id):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 4096:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    edge = f"http://127.0.0.1:{ports['edge']}{SEED_POST}"
    web = f"http://127.0.0.1:{ports['web-1']}{SEED_POST}"
    log_path = ROOT / ".stack" / "log" / "web-1.log"
    results = {}

    get(edge)
    r = run_wrk(edge, args.overload_seconds, args.threads, 1000)
    results["varnish"] = r
    print(
        f"\nThrough Varnish, wrk -t{args.threads} -c1000 -d{args.overload_seconds}s --timeout 10s {SEED_POST}: "
        f"{r['requests']} requests, {r['rps']:.0f} req/s, p50 {r['p50'] / 1000:.1f} ms, p99 {r['p99'] / 1000:.1f} ms, "
        f"max {r['max'] / 1000:.1f} ms, errors: " + ", ".join(f"{kind[4:]} {r[kind]}" for kind in ERROR_KINDS),
        flush=True,
    )

    time.sleep(5)
    tag = f"{run_id}burst"
    log_start = log_path.stat().st_size
    r = run_wrk(web, args.overload_seconds, args.threads, 1000, cold_tag=tag)
    ended = time.perf_counter()
    log_at_end = log_path.stat().st_size
    status, size, _, seconds = get(with_param(web, COLD_PARAM, f"{run_id}-after-burst"), timeout=120)
    answered_after = time.perf_counter() - ended
    time.sleep(3)
    during = burst_statuses(log_path, log_start, log_at_end, tag)
    after = burst_statuses(log_path, log_at_end, None, tag)
    results["burst"] = {**r, "after": {"status": status, "seconds": seconds, "since_end": answered_after}}
    results["burst"]["log_during"], results["burst"]["log_after"] = during, after
    print(
        f"Straight at web-1, wrk -t{args.threads} -c1000 -d{args.overload_seconds}s --timeout 10s, cold {SEED_POST}: "
        f"{r['requests']} answered, {r['rps']:.1f} req/s, p50 {r['p50'] / 1000:.1f} ms, p99 {r['p99'] / 1000:.1f} ms, "
        f"errors: " + ", ".join(f"{kind[4:]} {r[kind]}" for kind in ERROR_KINDS),
        flush=True,
    )
    print(
        f"Right after the burst, a new request: {status}, {size} bytes, in {seconds:.2f} s "
        f"({answered_after:.2f} s after wrk exited).\n"
        f"web-1's log, the burst's requests while wrk ran: {during}; after wrk had closed its connections "
        f"(readers gone): {after} (200: rendered for nobody; 499: dropped unrendered by cms/wsgi.py).",
        flush=True,
    )
    return results


def main(argv=None):
    if argv is None and len(sys.argv) > 2 and sys.argv[1] == "--count-queries-child":
        return count_queries_child(sys.argv[3:], sys.argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack-env", default=str(ROOT / ".stack" / "env"), help="the stack's settings file")
    parser.add_argument("-d", "--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("-r", "--rounds", type=int, default=3)
    parser.add_argument("-w", "--warmup", type=int, default=2, help="seconds of a warm-up run per case")
    parser.add_argument("-t", "--threads", type=int, default=2)
    parser.add_argument("-c", "--connections", type=int, default=8)
    parser.add_argument("--floor-port", type=int, help="default: the edge port + 50")
    parser.add_argument("--only", help="only the cases whose label contains this (and the floor)")
    parser.add_argument("--overload", action="store_true", help="also the 1,000-connection checks")
    parser.add_argument("--overload-only", action="store_true", help="only the 1,000-connection checks")
    parser.add_argument("--overload-seconds", type=int, default=20)
    parser.add_argument("--json", help="also write every run's numbers to this file")
    args = parser.parse_args(argv)

    if not Path(args.stack_env).exists():
        sys.exit(f"{args.stack_env} is missing: start the stack first (python3 verity.py stack up)")
    stack_env = read_stack_env(args.stack_env)
    ports = stack_ports(stack_env)
    if not listening_pids(ports["web-1"]):
        sys.exit(f"nothing listens on the stack's web-1 port {ports['web-1']}: is the stack up?")
    if not listening_pids(ports["edge"]):
        print(f"# nothing listens on the edge port {ports['edge']}: the cases through Varnish are left out")
        CASES[:] = [case for case in CASES if case[1] != "edge"]
    run_id = f"{int(time.time())}"
    output = {"argv": sys.argv, "started": time.strftime("%Y-%m-%d %H:%M:%S %z"), "ports": ports}
    if not args.overload_only:
        floor_port = args.floor_port or ports["edge"] + 50
        floor_log = Path(tempfile.gettempdir()) / f"verity-bench-floor-{floor_port}.log"
        floor = start_floor(floor_port, floor_log)
        try:
            facts, cases = benchmark(args, stack_env, ports, floor_port, floor_log, run_id)
        finally:
            stop(floor)
        print_table(facts, cases)
        output.update(facts=facts, cases=cases)
    if args.overload or args.overload_only:
        output["overload"] = overload(args, ports, run_id)
    if args.json:
        Path(args.json).write_text(json.dumps(output, indent=1, default=str))


if __name__ == "__main__":
    main()
