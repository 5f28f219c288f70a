"""The public site's audits, with the real tools, against a running site (CI: the production stack).

    python audits/run_audits.py [BASE_URL] [--reports DIR]

- Lighthouse (npm `lighthouse`, driving Debian's Chromium) on the home page, the seed post, a product and the
  bundle, mobile and desktop: accessibility, best practices and SEO at least 95, performance at least 90.
- axe-core (npm `axe-core`, injected by Playwright into the same Chromium) on every page type, at a desktop
  and a phone width: no violation of WCAG 2.0/2.1/2.2 A and AA.
- The Nu HTML checker (npm `vnu-jar`, on Java) on every page type's HTML: no error.

Pages are found from the site itself: the sitemap's URLs, each told apart by its JSON-LD (cms/site/structured_data.py),
plus a tag listing, a search and a 404. Reports go to DIR (default reports/audits/): one per tool and page, and
summary.json / summary.md with every score. The exit status is 1 when any threshold is missed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
CHROMIUM = os.environ.get("VERITY_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
LIGHTHOUSE_TRIES = 3  # Lighthouse now and then fails to record a trace (NO_NAVSTART) on a busy machine
THRESHOLDS = {"performance": 90, "accessibility": 95, "best-practices": 95, "seo": 95}
LIGHTHOUSE_PAGES = ("home", "post", "product", "bundle")
FORM_FACTORS = ("mobile", "desktop")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_WIDTHS = (1280, 360)
SEED_SLUG = "what-it-means-if-you-cry-after-sex"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(url, expect=(200,)):
    request = urllib.request.Request(url, headers={"User-Agent": "verity-audits"})  # noqa: S310 - our own site
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own site
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        if error.code in expect:
            return error.code, error.read().decode()
        raise


def on_base(url, base):
    """A URL of the sitemap (on the public address) on the base URL the audits reach."""
    parts = urlsplit(url)
    return urljoin(base, parts.path + (f"?{parts.query}" if parts.query else ""))


def sitemap_urls(base):
    _, index = fetch(urljoin(base, "/sitemap.xml"))
    urls = []
    for section in ET.fromstring(index).findall("sm:sitemap/sm:loc", SITEMAP_NS):  # noqa: S314 - our own site
        _, text = fetch(on_base(section.text, base))
        urls += [on_base(loc.text, base) for loc in ET.fromstring(text).findall("sm:url/sm:loc", SITEMAP_NS)]  # noqa: S314
    return urls


def json_ld_types(html):
    types, crumbs = set(), 0
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        for node in data.get("@graph", [data]):
            types.add(node.get("@type"))
            if node.get("@type") == "BreadcrumbList":
                crumbs = len(node["itemListElement"])
    return types, crumbs


def page_kind(url, html):
    types, crumbs = json_ld_types(html)
    # Every page's graph names the WebSite too: the home page is the one with no breadcrumbs.
    if "WebSite" in types and not crumbs:
        return "home"
    if "BlogPosting" in types:
        return "post"
    if "Blog" in types:
        return "blog index"
    if "ProfilePage" in types:
        return "expert"
    if "Product" in types:
        return "bundle" if "CollectionPage" in types else "product"
    if "CollectionPage" in types:
        return "shop index" if crumbs <= 2 else "collection"
    return None


def discover(base):
    """One URL of each page type: {kind: url}. The seed post stands for the posts."""
    pages = {}
    for url in sitemap_urls(base):
        _, html = fetch(url)
        kind = page_kind(url, html)
        if kind == "post" and SEED_SLUG in url:
            pages["post"] = url
        elif kind and kind not in pages:
            pages[kind] = url
        if kind == "post" and "tag" not in pages:
            tag = re.search(r'href="([^"]*\?tag=[^"]+)"', html)
            if tag:
                pages["tag"] = urljoin(url, tag.group(1).replace("&amp;", "&"))
    pages["search"] = urljoin(base, "/search/?q=aftercare")
    pages["404"] = urljoin(base, "/this-page-does-not-exist/")
    return pages


def lighthouse(url, name, form_factor, reports):
    output = reports / f"lighthouse-{name}-{form_factor}"
    command = [
        str(NODE_MODULES / ".bin" / "lighthouse"),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        f"--only-categories={','.join(THRESHOLDS)}",
        "--max-wait-for-load=30000",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    for attempt in range(1, LIGHTHOUSE_TRIES + 1):
        run = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=180)  # noqa: S603
        if run.returncode == 0:
            break
        print(f"lighthouse {name} {form_factor}: attempt {attempt} failed ({run.returncode})", flush=True)
    else:
        raise RuntimeError(f"Lighthouse failed {LIGHTHOUSE_TRIES} times on {url} ({form_factor})")
    report = json.loads(Path(f"{output}.report.json").read_text())
    scores = {key: round(category["score"] * 100) for key, category in report["categories"].items()}
    failing = {
        audit_id: audit["title"]
        for audit_id, audit in report["audits"].items()
        if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") == "binary"
    }
    return scores, failing


def axe(pages, reports):
    from playwright.sync_api import sync_playwright

    script = (NODE_MODULES / "axe-core" / "axe.min.js").read_text()
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS[1:], headless=True)
        for width in AXE_WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900})
            tab = context.new_page()
            for name, url in pages.items():
                tab.goto(url, wait_until="load")
                tab.evaluate(script)
                result = tab.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
                (reports / f"axe-{slug(name)}-{width}.json").write_text(json.dumps(result, indent=1))
                found[f"{name} at {width}px"] = [
                    f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(str(n['target']) for n in v['nodes'][:3])}"
                    for v in result["violations"]
                ]
            context.close()
        browser.close()
    return found


def nu_html_checker(pages, reports):
    folder = reports / "html"
    folder.mkdir(exist_ok=True)
    files = {}
    for name, url in pages.items():
        _, html = fetch(url, expect=(200, 404))
        path = (folder / f"{slug(name)}.html").resolve()
        path.write_text(html)
        files[str(path)] = name
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    run = subprocess.run(  # noqa: S603 - our own files
        ["java", "-Xss4m", "-jar", str(jar), "--format", "json", "--exit-zero-always", *files],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=180,
    )
    (reports / "vnu.json").write_text(run.stderr or run.stdout)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = {}
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            name = files.get(urlsplit(message.get("url", "")).path, message.get("url", "?"))
            errors.setdefault(name, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_base = f"http://127.0.0.1:{os.environ.get('VERITY_STACK_PORT', '8400')}"
    parser.add_argument("base_url", nargs="?", default=default_base)
    parser.add_argument("--reports", default="reports/audits")
    parser.add_argument("--skip", action="append", default=[], choices=["lighthouse", "axe", "html"])
    args = parser.parse_args()
    base = args.base_url.rstrip("/") + "/"
    reports = Path(args.reports)
    reports.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    pages = discover(base)
    missing = [kind for kind in ("home", "post", "product", "bundle") if kind not in pages]
    summary = {"base_url": base, "pages": pages, "lighthouse": {}, "axe": {}, "html": {}, "failures": []}
    if missing:
        summary["failures"].append(f"pages not found in the sitemap: {', '.join(missing)}")

    if "lighthouse" not in args.skip:
        for name in LIGHTHOUSE_PAGES:
            for form_factor in FORM_FACTORS:
                if name not in pages:
                    continue
                scores, failing = lighthouse(pages[name], name, form_factor, reports)
                summary["lighthouse"][f"{name} {form_factor}"] = {"scores": scores, "failing_audits": failing}
                for category, least in THRESHOLDS.items():
                    if scores.get(category, 0) < least:
                        summary["failures"].append(
                            f"Lighthouse {name} {form_factor}: {category} {scores.get(category)} < {least} "
                            f"(failing: {', '.join(failing) or 'none binary'})"
                        )
                print(f"lighthouse {name:8} {form_factor:7} {scores}", flush=True)
    if "axe" not in args.skip:
        summary["axe"] = axe(pages, reports)
        for where, violations in summary["axe"].items():
            summary["failures"] += [f"axe {where}: {violation}" for violation in violations]
        print(f"axe-core: {sum(map(len, summary['axe'].values()))} violations on {len(summary['axe'])} views")
    if "html" not in args.skip:
        summary["html"] = nu_html_checker(pages, reports)
        for name, errors in summary["html"].items():
            summary["failures"] += [f"Nu HTML checker {name}: {error}" for error in errors]
        print(f"Nu HTML checker: {sum(map(len, summary['html'].values()))} errors on {len(pages)} pages")

    summary["seconds"] = round(time.monotonic() - started)
    (reports / "summary.json").write_text(json.dumps(summary, indent=2))
    lines = [f"# Audits of {base} ({summary['seconds']} s)", "", "| page | " + " | ".join(THRESHOLDS) + " |"]
    lines.append("| --- |" + " --- |" * len(THRESHOLDS))
    for where, result in summary["lighthouse"].items():
        lines.append(f"| {where} | " + " | ".join(str(result["scores"].get(c)) for c in THRESHOLDS) + " |")
    lines += ["", f"axe-core violations: {sum(map(len, summary['axe'].values()))}"]
    lines += [f"Nu HTML checker errors: {sum(map(len, summary['html'].values()))}", ""]
    lines += [f"- FAIL {failure}" for failure in summary["failures"]] or ["All thresholds met."]
    (reports / "summary.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
