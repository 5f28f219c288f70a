"""Benchmark: how fast the seed post and the blog index render, against a minimal Django view.

Runs in-process with django.test.Client on settings cms.settings.test, against a throwaway SQLite
database and media folder in a temporary directory (or the database in DATABASE_URL, if set). It
migrates, loads the demo content, warms up, then times N requests per URL and prints a markdown
table: median and 95th-percentile milliseconds per request, and SQL queries per request.

    .venv/bin/python bench/post_page.py [--requests 200] [--warmup 20]

See bench/README.md.
"""

import argparse
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
POST_URL = "/blog/what-it-means-if-you-cry-after-sex/"
INDEX_URL = "/blog/"
MINIMAL_URL = "/bench-minimal/"

# This module is also the benchmark's URLconf: the minimal view, then the whole site.
urlpatterns = []


def minimal_view(request):
    from django.http import HttpResponse

    return HttpResponse(b"ok", content_type="text/plain")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per URL (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per URL first (default 20)")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup at least 0")
    return args


def configure(workdir):
    """Point Django at a throwaway database and media folder, never the development db.sqlite3."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # WhiteNoise warns that collectstatic has not run; the benchmark serves no static files.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()

    from django.conf import settings

    name = str(settings.DATABASES["default"]["NAME"])
    if Path(name).resolve() == (BASE_DIR / "db.sqlite3").resolve():
        sys.exit("Refusing to benchmark against the development database db.sqlite3; unset DATABASE_URL.")

    from django.urls import include, path

    urlpatterns[:] = [path(MINIMAL_URL.strip("/") + "/", minimal_view), path("", include("cms.urls"))]


def prepare():
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


def percentile(samples, fraction):
    """The sample at `fraction` of the way through the sorted samples (nearest rank)."""
    ordered = sorted(samples)
    rank = max(1, round(fraction * len(ordered)))
    return ordered[rank - 1]


def measure(client, url, requests, warmup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        check(client.get(url), url)
    # Queries counted on requests of their own, so that capturing them does not slow the timed ones.
    query_counts = set()
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            check(client.get(url), url)
        query_counts.add(len(captured))
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        check(response, url)
    return {
        "median": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "queries": "/".join(str(n) for n in sorted(query_counts)),
    }


def check(response, url):
    if response.status_code != 200:
        sys.exit(f"GET {url} answered {response.status_code}, not 200; is the demo content loaded?")


def main(argv=None):
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="verity-bench-") as tmp:
        configure(Path(tmp))
        prepare()

        import django
        import wagtail
        from django.db import connection, connections
        from django.test import Client, override_settings

        client = Client()
        rows = []
        with override_settings(ROOT_URLCONF=__name__):
            for label, url in [
                ("seed post page", POST_URL),
                ("blog index", INDEX_URL),
                ("minimal Django view", MINIMAL_URL),
            ]:
                rows.append((label, url, measure(client, url, args.requests, args.warmup)))
        vendor = connection.vendor
        connections.close_all()  # before the temporary directory, and any SQLite file in it, goes

    print(
        f"{date.today().isoformat()} · Python {platform.python_version()} · Django {django.get_version()} · "
        f"Wagtail {wagtail.__version__} · {vendor} · {os.cpu_count()} CPUs · "
        f"{args.requests} timed requests per URL after {args.warmup} warm-up\n"
    )
    print("| page | URL | median ms | p95 ms | SQL queries / request |")
    print("| --- | --- | ---: | ---: | ---: |")
    for label, url, result in rows:
        print(f"| {label} | `{url}` | {result['median']:.2f} | {result['p95']:.2f} | {result['queries']} |")


if __name__ == "__main__":
    main()
