"""Benchmark: the listings, feed, search, API and sitemap against a database that is already filled.

Unlike post_page.py it neither migrates nor loads anything: point it at a database holding the demo
(`load_demo`) and, for the site at scale, `generate_posts N` more posts, and compare the two.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/verity_demo .venv/bin/python bench/listings.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/verity_10k  .venv/bin/python bench/listings.py

It runs in-process with django.test.Client on cms.settings.test (DEBUG off, locmem cache), warms each
URL up, counts its SQL queries and their time on 5 requests, then times --requests requests and prints a
markdown table: median and 95th-percentile wall milliseconds, median CPU milliseconds of this process (the
database's own time is in the wall time, not the CPU), the median of the requests' summed SQL time as
Django measures it, response kilobytes and queries per request. On a shared machine, read the CPU and SQL
columns: the wall time moves with whatever else runs.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

URLS = [
    ("blog index", "/blog/"),
    ("blog index, deep page", "/blog/?page={deep}"),
    ("tag filter", "/blog/?tag=sex"),
    ("tag filter, deep page", "/blog/?tag=sex&page={deep_tag}"),
    ("search", "/search/?q=sex"),
    ("search, page 5", "/search/?q=sex&page=5"),
    ("search, a rarer word", "/search/?q=menopause"),
    ("RSS feed", "/blog/feed/"),
    ("API posts", "/api/v3/posts/"),
    ("API posts, deep", "/api/v3/posts/?offset={deep_offset}"),
    ("API posts by tag", "/api/v3/posts/?tag=sex"),
    ("post page", "/blog/what-it-means-if-you-cry-after-sex/"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap section 1", "/sitemap-pages.xml"),
    ("sitemap last section", "/sitemap-pages.xml?p={last_section}"),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", help="only the URLs whose label contains this")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from blog.models import POSTS_PER_PAGE, BlogPostPage
    from cms.site.sitemaps import SECTION_SIZE, PageSitemap

    if not str(settings.DATABASES["default"]["NAME"]).startswith("verity"):
        print("Set DATABASE_URL to a filled database.", file=sys.stderr)
    posts = BlogPostPage.objects.live().count()
    tagged = BlogPostPage.objects.live().filter(tags__slug="sex").count()
    values = {
        "deep": max(1, posts // POSTS_PER_PAGE // 2),
        "deep_tag": max(1, tagged // POSTS_PER_PAGE // 2),
        "deep_offset": posts // 2,
        "last_section": PageSitemap().paginator.num_pages,
    }
    # Measure the rendering, not a page cache (cms/caching/http_cache.py) if one is switched on.
    settings.VERITY_PAGE_CACHE = False
    client = Client()
    print(f"{posts} live posts ({tagged} tagged sex); {connection.vendor}; sitemap sections of {SECTION_SIZE}\n")
    print("| page | URL | median ms | p95 ms | CPU ms | SQL ms | KB | queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, url in URLS:
        if args.only and args.only not in label:
            continue
        url = url.format(**values)
        for _ in range(args.warmup):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        cache.clear()
        client.get(url)
        sql_ms = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            # Read now: every request clears the connection's log of queries.
            queries = len(captured)
            sql_ms.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
        wall, cpu = [], []
        for _ in range(args.requests):
            w0, c0 = time.perf_counter(), time.process_time()
            client.get(url)
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        p95 = statistics.quantiles(wall, n=20)[-1] if len(wall) > 1 else wall[0]
        print(
            f"| {label} | `{url}` | {statistics.median(wall):.2f} | {p95:.2f} | {statistics.median(cpu):.2f} "
            f"| {statistics.median(sql_ms):.1f} "
            f"| {len(response.content) / 1024:.0f} | {queries} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
