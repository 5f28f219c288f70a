"""The sitemap: an index of sections of at most SECTION_SIZE URLs, every live page and expert once, no drafts,
each section in a few queries whatever the size of the site."""

import io
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.models import Expert
from cms.site.sitemaps import SECTION_SIZE, ExpertSitemap, PageSitemap

from ... import factories

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own response


def read_sitemap(client):
    """The index's section addresses, and each section's (location, lastmod) entries and query count."""
    index = parse(client.get("/sitemap.xml"))
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    sections = {}
    for loc in index.findall("sm:sitemap/sm:loc", NS):
        path = loc.text.removeprefix("http://testserver")
        with CaptureQueriesContext(connection) as queries:
            urlset = parse(client.get(path))
        entries = [(url.find("sm:loc", NS).text, url.find("sm:lastmod", NS)) for url in urlset.findall("sm:url", NS)]
        sections[path] = (entries, len(queries))
    return sections


@pytest.fixture
def small_sections(monkeypatch):
    monkeypatch.setattr(PageSitemap, "limit", 10)
    monkeypatch.setattr(ExpertSitemap, "limit", 10)
    return 10


@pytest.fixture
def site(blog, shop):
    for _ in range(3):
        factories.make_expert()
    factories.make_expert(slug="draft-expert", live=False)
    factories.make_post(blog, slug="draft-post", live=False)
    factories.make_product(shop)
    call_command("generate_posts", 30, stdout=io.StringIO())
    return blog


def test_sections_are_at_most_the_limit_and_list_every_live_page_and_expert_once(client, site, small_sections):
    sections = read_sitemap(client)
    page_sections = [path for path in sections if path.startswith("/sitemap-pages.xml")]
    live_pages = Page.objects.live().public().exclude(depth=1)
    assert len(page_sections) == -(-live_pages.count() // small_sections) == 4
    assert page_sections[1:] == [f"/sitemap-pages.xml?p={n}" for n in range(2, 5)]

    locations = Counter(loc for entries, _ in sections.values() for loc, _lastmod in entries)
    assert all(len(entries) <= small_sections for entries, _ in sections.values())
    expected = [f"http://testserver{page.url}" for page in live_pages] + [
        f"http://testserver{expert.get_absolute_url()}" for expert in Expert.objects.live()
    ]
    assert sorted(locations) == sorted(expected)
    assert set(locations.values()) == {1}, "a URL is listed twice"
    assert not any("draft" in loc for loc in locations)


def test_every_url_keeps_its_last_change(client, site, small_sections):
    post = Page.objects.live().filter(depth=4).order_by("path").first()
    sections = read_sitemap(client)
    lastmods = {loc: lastmod for entries, _ in sections.values() for loc, lastmod in entries}
    assert lastmods[f"http://testserver{post.url}"].text == post.last_published_at.date().isoformat()
    # Every entry has one: the migrations' home page, never published itself, is as new as the latest publish.
    undated = [loc for loc, lastmod in lastmods.items() if lastmod is None]
    assert undated == []
    latest = Page.objects.live().exclude(last_published_at=None).latest("last_published_at").last_published_at
    assert lastmods["http://testserver/"].text == latest.date().isoformat()
    index = parse(client.get("/sitemap.xml"))
    assert all(item.find("sm:lastmod", NS) is not None for item in index.findall("sm:sitemap", NS))


def test_a_section_runs_the_same_few_queries_whatever_its_place_or_the_site_size(client, site, small_sections):
    counts = {path: queries for path, (_entries, queries) in read_sitemap(client).items()}
    call_command("generate_posts", 25, stdout=io.StringIO())
    more = {path: queries for path, (_entries, queries) in read_sitemap(client).items()}
    assert len(more) > len(counts)
    for kind, queries in (("pages", 4), ("experts", 2)):
        # The site, the view restrictions (pages), the count for the paginator, the section's rows.
        assert {n for path, n in (counts | more).items() if kind in path} == {queries}, (counts, more)


def test_sections_hold_at_most_a_thousand_urls():
    assert SECTION_SIZE == PageSitemap.limit == ExpertSitemap.limit == 1000


def test_an_unknown_section_is_a_404(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404
