"""One public address (WAGTAILADMIN_BASE_URL) names every absolute URL the site and the API put out.

Each public response is requested with a different, allowed Host header (a forged one, or the address of
one web host behind the edge cache): no URL of it may name that host, since caches share the response.
"""

import importlib
import io
import json
import re
import sys
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from wagtail.models import APIToken, Site

from blog.models import BlogPostAuthor
from cms.site.address import (
    absolute_url,
    on_public_address,
    page_url,
    public_host_and_port,
    sitemap_view_on_public_address,
)

from ... import factories
from ..review_steps import approve_editorial_step, submit, verify_and_approve_as_reviewer
from ..workflow_helpers import make_team

PUBLIC = "https://verity.example.com"
OTHER_HOST = "web-1.internal.example.net"
# Absolute URLs that name other sites on purpose: vocabularies, XML namespaces, a source's link, a shop's.
ELSEWHERE = ("https://schema.org", "http://www.sitemaps.org/", "http://www.w3.org/", "https://doi.org/")
ELSEWHERE += ("https://shop.example.com/", "http://purl.org/dc/elements/")  # the feed's dc:creator namespace
URL_PATTERN = re.compile(r"(?:https?:)?//[^\s\"'<>\\)]+")


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://verity.example.com", ("verity.example.com", 443)),
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("http://shop.example.org", ("shop.example.org", 80)),
    ],
)
def test_public_host_and_port_come_from_the_base_url(base_url, expected):
    assert public_host_and_port(base_url) == expected


def test_configure_site_points_the_default_site_and_its_links_at_the_public_address(client, settings, blog):
    settings.WAGTAILADMIN_BASE_URL = "https://verity.example.com"
    call_command("configure_site", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("verity.example.com", 443)

    # The public address differs from the test client's host, so ask for the page by that name.
    response = client.get("/blog/", HTTP_HOST="verity.example.com", secure=True)
    assert response.status_code == 200
    canonical = BeautifulSoup(response.content, "html.parser").find("link", rel="canonical")["href"]
    assert canonical == "https://verity.example.com/blog/"
    sitemap = "".join(
        sitemap_documents(client, "https://verity.example.com", HTTP_HOST="verity.example.com", secure=True)
    )
    assert "https://verity.example.com/blog/" in sitemap and "localhost" not in sitemap


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_documents(client, public, **extra):
    """/sitemap.xml and, when it is an index, each section it names (asked for by path, with `extra`)."""
    index = get(client, "/sitemap.xml", **extra)
    tree = ET.fromstring(index)  # noqa: S314 - our own response
    sections = [loc.text for loc in tree.iter(f"{SITEMAP}loc")] if tree.tag == f"{SITEMAP}sitemapindex" else []
    return [index] + [get(client, section.removeprefix(public), **extra) for section in sections]


# The helper


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/blog/post/", f"{PUBLIC}/blog/post/"),
        ("media/images/a.webp", f"{PUBLIC}/media/images/a.webp"),
        ("/api/v3/preview/4/?token=abc", f"{PUBLIC}/api/v3/preview/4/?token=abc"),
        # Media on a storage's own domain is already absolute and stays where it is.
        ("https://media.example-cdn.com/images/a.webp", "https://media.example-cdn.com/images/a.webp"),
        ("//media.example-cdn.com/images/a.webp", "https://media.example-cdn.com/images/a.webp"),
        ("", ""),
        (None, ""),
    ],
)
def test_absolute_url_puts_paths_on_the_public_address(settings, url, expected):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC + "/"  # a trailing slash makes no double slash
    assert absolute_url(url) == expected


def test_on_public_address_moves_a_url_of_another_host_onto_it(settings):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    assert on_public_address("http://localhost/blog/?tag=x#top") == f"{PUBLIC}/blog/?tag=x#top"
    assert on_public_address("http://localhost") == f"{PUBLIC}/"


def test_a_pages_url_is_on_the_public_address_whatever_its_site_record_says(settings, blog):
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)  # not configured yet
    assert page_url(blog) == f"{PUBLIC}/blog/"


# Settings


def load_settings(monkeypatch, module, **environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop(f"cms.settings.{module}", None)
    sys.modules.pop("cms.settings.base", None)
    try:
        return importlib.import_module(f"cms.settings.{module}")
    finally:
        sys.modules.pop(f"cms.settings.{module}", None)
        sys.modules.pop("cms.settings.base", None)


def test_production_refuses_to_start_without_the_public_address(monkeypatch):
    monkeypatch.delenv("WAGTAILADMIN_BASE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="WAGTAILADMIN_BASE_URL"):
        load_settings(monkeypatch, "production", SECRET_KEY="x", ALLOWED_HOSTS="verity.example.com")


@pytest.mark.parametrize("value", ["verity.example.com", "ftp://verity.example.com", "https://", "https://a.example/x"])
def test_the_public_address_must_be_an_origin(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="WAGTAILADMIN_BASE_URL must be an origin"):
        load_settings(
            monkeypatch, "production", SECRET_KEY="x", ALLOWED_HOSTS="verity.example.com", WAGTAILADMIN_BASE_URL=value
        )


def test_production_takes_the_public_address_from_the_environment(monkeypatch):
    loaded = load_settings(
        monkeypatch, "production", SECRET_KEY="x", ALLOWED_HOSTS="a.example", WAGTAILADMIN_BASE_URL=PUBLIC + "/"
    )
    assert loaded.WAGTAILADMIN_BASE_URL == PUBLIC


def test_development_defaults_to_the_local_address(monkeypatch):
    monkeypatch.delenv("WAGTAILADMIN_BASE_URL", raising=False)
    assert load_settings(monkeypatch, "dev").WAGTAILADMIN_BASE_URL == "http://127.0.0.1:8000"


# Every public response, asked for by another host


@pytest.fixture
def public_address(settings):
    """The public address is not the test client's host, and the Site record still names the client's host
    (testserver, from the migration): the output must follow the setting, not either of them."""
    settings.WAGTAILADMIN_BASE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["verity.example.com", OTHER_HOST]
    cache.clear()  # rendered fragments and throttles
    return PUBLIC


@pytest.fixture
def other_host():
    return Client(HTTP_HOST=OTHER_HOST)


@pytest.fixture
def content(public_address, home, blog, shop):
    expert = factories.make_expert(name="Ana Reyes", slug="ana-reyes")
    source = factories.make_source(title="Survey", doi="10.1000/survey")
    product = factories.make_product(shop, title="Massage oil", slug="massage-oil")
    collection = factories.make_collection(shop, [product], title="Kit", slug="kit")
    home.featured_collection = collection
    factories.publish(home)
    post = factories.make_post(
        blog,
        title="Crying after sex",
        slug="crying-after-sex",
        tags=["feelings"],
        authors=[BlogPostAuthor(expert=expert)],
        body=[
            factories.expert_quote(expert, sources=[source]),
            factories.claim([source]),
            factories.products_block([product]),
        ],
        shop_the_story=[{"type": "product", "value": product.pk}],
    )
    reviewer = factories.make_expert(name="Rae Viewer", slug="rae-viewer", user=make_reviewer_user())
    factories.review_medically(post, reviewer.user)
    return {"post": post, "product": product, "collection": collection, "expert": expert, "reviewer": reviewer}


def make_reviewer_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("rae")


def absolute_urls(text):
    return [url for url in URL_PATTERN.findall(text) if not url.startswith(ELSEWHERE)]


def assert_on_public_address(text, where):
    assert OTHER_HOST not in text, f"{where} names the requesting host"
    wrong = [url for url in absolute_urls(text) if not url.startswith(PUBLIC + "/")]
    assert not wrong, f"{where}: {wrong}"


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def head_urls(html):
    """The head's absolute URLs by name: canonical, og:*, twitter:*, and every URL in its JSON-LD."""
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    canonical = soup.find("link", rel="canonical")
    if canonical:
        found["canonical"] = canonical["href"]
    for meta in soup.find_all("meta"):
        name = meta.get("property") or meta.get("name") or ""
        if name.startswith(("og:", "twitter:")) and URL_PATTERN.match(meta.get("content", "")):
            found[name] = meta["content"]
    for n, script in enumerate(soup.find_all("script", type="application/ld+json")):
        for m, url in enumerate(strings_in(json.loads(script.string))):
            if URL_PATTERN.match(url) and not url.startswith(ELSEWHERE):
                found[f"ld{n}.{m}"] = url
    return found


def json_ld_of(html, schema_type):
    """The page's JSON-LD node of this type (cms/site/structured_data.py writes one @graph)."""
    document = json.loads(BeautifulSoup(html, "html.parser").find("script", type="application/ld+json").string)
    return next(node for node in document["@graph"] if node["@type"] == schema_type)


def strings_in(data):
    if isinstance(data, dict):
        for value in data.values():
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)
    elif isinstance(data, str):
        yield data


def test_the_pages_heads_name_the_public_address(other_host, content):
    post, product, expert = content["post"], content["product"], content["expert"]
    pages = {
        "home": "/",
        "blog": "/blog/",
        "blog by tag": "/blog/?tag=feelings",
        "post": post.url,
        "shop": "/shop/",
        "product": product.url,
        "collection": content["collection"].url,
        "expert": expert.get_absolute_url(),
    }
    for name, url in pages.items():
        html = get(other_host, url)
        assert_on_public_address(html, name)
        urls = head_urls(html)
        assert urls["canonical"] == PUBLIC + url.split("?")[0], name
        assert all(value.startswith(PUBLIC + "/") for value in urls.values()), (name, urls)

    post_head = head_urls(get(other_host, post.url))
    assert post_head["og:url"] == f"{PUBLIC}{post.url}"
    assert post_head["og:image"].startswith(f"{PUBLIC}/media/images/")
    post_html = get(other_host, post.url)
    ld, article = json_ld_of(post_html, "MedicalWebPage"), json_ld_of(post_html, "BlogPosting")
    assert ld["url"] == article["url"] == article["mainEntityOfPage"]["@id"] == f"{PUBLIC}{post.url}"
    assert article["image"]["url"] == post_head["og:image"]
    assert article["author"][0]["url"] == f"{PUBLIC}/experts/ana-reyes/"
    assert ld["reviewedBy"]["url"] == f"{PUBLIC}/experts/rae-viewer/"
    product_ld = json_ld_of(get(other_host, product.url), "Product")
    assert product_ld["url"] == f"{PUBLIC}{product.url}" and product_ld["image"].startswith(f"{PUBLIC}/media/")


def test_media_on_a_storages_own_domain_keeps_it(other_host, content, settings):
    settings.MEDIA_URL = "https://media.example-cdn.com/media/"
    post_head = head_urls(get(other_host, content["post"].url))
    assert post_head["og:image"].startswith("https://media.example-cdn.com/media/images/")
    data = json.loads(get(other_host, f"/api/v3/posts/{content['post'].pk}/"))
    renditions = data["hero_image"]["renditions"]
    assert renditions and all(r["url"].startswith("https://media.example-cdn.com/media/") for r in renditions)


def test_the_feed_names_the_public_address(other_host, content):
    xml = get(other_host, "/blog/feed/")
    assert_on_public_address(xml, "feed")
    channel = ET.fromstring(xml).find("channel")  # noqa: S314 - our own response
    assert channel.findtext("link") == f"{PUBLIC}/blog/"
    atom_self = channel.find("{http://www.w3.org/2005/Atom}link")
    assert atom_self.get("href") == f"{PUBLIC}/blog/feed/"
    item = channel.find("item")
    assert item.findtext("link") == item.findtext("guid") == f"{PUBLIC}{content['post'].url}"


def test_the_sitemap_names_the_public_address(other_host, content):
    documents = sitemap_documents(other_host, PUBLIC)
    for document in documents:
        assert_on_public_address(document, "sitemap")
        locations = [loc.text for loc in ET.fromstring(document).iter(f"{SITEMAP}loc")]  # noqa: S314
        assert locations and all(loc.startswith(PUBLIC + "/") for loc in locations)
    everything = "".join(documents)
    assert f"{PUBLIC}{content['post'].url}" in everything
    assert f"{PUBLIC}/experts/ana-reyes/" in everything


def test_the_sitemap_views_are_moved_onto_the_public_address(rf, content):
    from django.contrib.sitemaps import views as sitemap_views

    from cms.site.sitemaps import SITEMAPS

    index = sitemap_view_on_public_address(sitemap_views.index)
    section = sitemap_view_on_public_address(sitemap_views.sitemap)
    request = rf.get("/sitemap.xml", HTTP_HOST=OTHER_HOST)
    documents = [index(request, sitemaps=SITEMAPS, sitemap_url_name="sitemap_section").render().content.decode()]
    for name in SITEMAPS:
        request = rf.get(f"/sitemap-{name}.xml", HTTP_HOST=OTHER_HOST)
        documents.append(section(request, sitemaps=SITEMAPS, section=name).render().content.decode())
    for document in documents:
        assert_on_public_address(document, "sitemap")
        assert f"<loc>{PUBLIC}/" in document
    assert f"{PUBLIC}{content['post'].url}" in documents[1]
    assert f"{PUBLIC}/experts/ana-reyes/" in documents[2]


def test_robots_txt_names_the_public_address(other_host, public_address, db):
    robots = get(other_host, "/robots.txt")
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots.splitlines()
    assert_on_public_address(robots, "robots.txt")


def test_the_apis_urls_name_the_public_address(other_host, content):
    post, product, collection = content["post"], content["product"], content["collection"]
    endpoints = [
        "/api/v3/posts/",
        f"/api/v3/posts/{post.pk}/",
        f"/api/v3/posts/by-slug/{post.slug}/",
        "/api/v3/products/",
        f"/api/v3/products/{product.pk}/",
        f"/api/v3/collections/{collection.pk}/",
        "/api/v3/experts/",
        f"/api/v3/experts/{content['expert'].pk}/",
        "/api/v3/home/",
    ]
    for url in endpoints:
        assert_on_public_address(get(other_host, url), url)
    data = json.loads(get(other_host, f"/api/v3/posts/{post.pk}/"))
    assert data["url"] == f"{PUBLIC}{post.url}"
    assert data["hero_image"]["renditions"][0]["url"].startswith(f"{PUBLIC}/media/")
    assert {node["@type"]: node for node in data["json_ld"]["@graph"]}["BlogPosting"]["url"] == f"{PUBLIC}{post.url}"
    assert json.loads(get(other_host, "/api/v3/home/"))["url"] == f"{PUBLIC}/"


def test_a_preview_link_names_the_public_address(other_host, public_address, blog):
    team = make_team()
    draft = factories.make_post(blog, title="Draft", live=False)
    token = APIToken.create_token(user=team["editor"], name="test")[1]
    response = other_host.post(f"/api/v3/preview/{draft.pk}/token/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert response.json()["preview_url"].startswith(f"{PUBLIC}/api/v3/preview/{draft.pk}/?token=")


def test_the_workflows_emails_link_to_the_public_address(public_address, blog):
    # Every start sets the default Site from the setting (docker-compose, verity.py stack, load_demo).
    call_command("configure_site", stdout=io.StringIO())
    team = make_team()
    post = factories.make_post(blog, title="Tears", body=[factories.claim([factories.make_source()])], live=False)
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    response = verify_and_approve_as_reviewer(Client(HTTP_HOST=OTHER_HOST), post, team["reviewer"])
    assert response.status_code in (200, 302)
    post.refresh_from_db()
    assert post.live

    assert mail.outbox
    links = []
    for message in mail.outbox:
        bodies = [message.body] + [content for content, _mimetype in getattr(message, "alternatives", [])]
        for body in bodies:
            assert_on_public_address(body, f"email {message.subject!r}")
            links += absolute_urls(body)
    assert f"{PUBLIC}/admin/pages/{post.pk}/edit/" in links
    assert f"{PUBLIC}{post.url}" in links  # the approval: "You can view the page here"
