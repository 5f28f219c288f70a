"""The topology, from outside: media from object storage, an edge cache that follows publishing, purges
refused where they must be and failed where they fail, private pages never shared, the sitemap in sections."""

import json
import re
import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
from bs4 import BeautifulSoup

from .conftest import wait_until

SEED_POST = "/blog/what-it-means-if-you-cry-after-sex/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def get(url, **kwargs):
    response = requests.get(url, timeout=10, **kwargs)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response


def image_urls_in_page(html):
    soup = BeautifulSoup(html, "html.parser")
    urls = set()
    for img in soup.find_all(["img", "source"]):
        if img.get("src"):
            urls.add(img["src"])
        for candidate in (img.get("srcset") or "").split(","):
            if candidate.strip():
                urls.add(candidate.split()[0])
    for meta in soup.find_all("meta", attrs={"property": re.compile("image$")}):
        urls.add(meta["content"])
    for script in soup.find_all("script", type="application/ld+json"):
        urls.update(image_urls_in_json(json.loads(script.string)))
    return urls


def image_urls_in_json(data):
    text = json.dumps(data)
    return set(re.findall(r'"(https?://[^"]+\.(?:webp|jpe?g|png|gif|avif))"', text))


def a_live_post(stack):
    posts = get(f"{stack.edge}/api/v3/posts/").json()["items"]
    return next(post for post in posts if post["slug"] != SEED_POST.strip("/").split("/")[-1])


def publish_title(stack, token, page_id, title, instance=1):
    response = requests.patch(
        f"{stack.instance(instance)}/api/v3/pages/{page_id}/",
        json={"meta": {"action": "publish"}, "title": title},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def admin_token(stack):
    return stack.api_token("admin")


def test_every_image_a_page_names_is_served_through_the_public_address_by_either_instance(stack):
    for instance in stack.instances:
        html = get(f"{instance}{SEED_POST}").text
        api = get(f"{instance}/api/v3/posts/{a_live_post(stack)['id']}/").json()
        urls = image_urls_in_page(html) | image_urls_in_json(api)
        # Uploads from object storage under /media/, the site's own images (the logo in the JSON-LD) under /static/.
        assert len({url for url in urls if url.startswith(f"{stack.edge}/media/")}) >= 3, urls
        for url in urls:
            assert url.startswith((f"{stack.edge}/media/", f"{stack.edge}/static/")), url
            response = get(url)
            assert response.headers["Content-Type"].startswith("image/"), url


def test_a_published_change_shows_through_the_edge_and_on_the_other_instance_within_a_second(stack, admin_token):
    post = a_live_post(stack)
    post_url = f"/blog/{post['slug']}/"
    places = [post_url, "/blog/", "/", "/blog/feed/", f"/api/v3/posts/{post['id']}/", "/api/v3/posts/"]
    for place in places:  # in the edge's cache, and in each instance's page cache
        get(f"{stack.edge}{place}")
        assert get(f"{stack.edge}{place}").headers.get("X-Edge-Cache") == "hit", place
    original = post["title"]
    title = f"{original} ({uuid.uuid4().hex[:8]})"
    try:
        publish_title(stack, admin_token, post["id"], title, instance=1)

        def everywhere():
            """the new title on the post, the indexes, home, feed and API, through the edge and on web-2"""
            urls = [f"{stack.edge}{place}" for place in places] + [f"{stack.instance(2)}{post_url}"]
            return all(title in requests.get(url, timeout=5).text for url in urls)

        seconds = wait_until(everywhere, seconds=1.0)
        print(f"visible everywhere {seconds:.2f} s after the publish returned")
    finally:
        publish_title(stack, admin_token, post["id"], original)


def test_the_edge_refuses_purges_from_anyone_but_the_web_hosts(stack):
    url = f"{stack.edge}{SEED_POST}"
    get(url)
    assert get(url).headers["X-Edge-Cache"] == "hit"
    # Another loopback address is another host to the edge's ACL.
    session = requests.Session()
    session.mount("http://", SourceAddressAdapter("127.0.0.2"))
    refused = session.request("PURGE", url, timeout=5)
    assert refused.status_code == 403
    assert get(url).headers["X-Edge-Cache"] == "hit"
    assert requests.request("PURGE", url, timeout=5).status_code == 200  # from the web hosts' address
    assert get(url).headers["X-Edge-Cache"] == "miss"


def test_tracking_parameters_neither_split_nor_bypass_the_edge_cache(stack):
    url = f"{stack.edge}{SEED_POST}"
    get(url)
    for query in ("?utm_source=news&utm_medium=email", "?fbclid=abc", "?gclid=1&utm_campaign=x"):
        assert get(url + query).headers["X-Edge-Cache"] == "hit", query


def log_in(stack, username, password="verity-demo"):  # noqa: S107 - the demo's documented password
    session = requests.Session()
    login = f"{stack.edge}/admin/login/"
    session.get(login, timeout=10)
    response = session.post(
        login,
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login},
        timeout=10,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies, response.status_code
    return session


def test_anonymous_pages_are_shared_and_signed_in_pages_never_are(stack):
    url = f"{stack.edge}{SEED_POST}"
    get(url)
    anonymous = get(url)
    assert anonymous.headers["X-Edge-Cache"] == "hit"
    assert "public" in anonymous.headers["Cache-Control"] and "s-maxage" in anonymous.headers["Cache-Control"]
    assert "wagtail-userbar" not in anonymous.text and "Set-Cookie" not in anonymous.headers

    editor = log_in(stack, "editor")
    for _ in range(2):
        signed_in = editor.get(url, timeout=10)
        assert signed_in.status_code == 200
        assert signed_in.headers["X-Edge-Cache"] == "miss"
        assert "public" not in signed_in.headers.get("Cache-Control", "")
        assert "wagtail-userbar" in signed_in.text  # this editor's own page, with the admin's toolbar
    assert "wagtail-userbar" not in get(url).text  # and readers still get theirs
    dashboard = editor.get(f"{stack.edge}/admin/", timeout=10)
    assert dashboard.status_code == 200 and dashboard.headers["X-Edge-Cache"] == "miss"


def test_the_sitemap_is_an_index_of_sections_of_at_most_a_thousand_urls(stack):
    if int(stack.python("from blog.models import BlogPostPage; print(BlogPostPage.objects.live().count())")) < 1000:
        stack.manage("generate_posts", "1000")
    index = ET.fromstring(get(f"{stack.edge}/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert len(sections) >= 2
    pages = []
    for section in sections:
        assert section.startswith(stack.edge), section
        urls = [loc.text for loc in ET.fromstring(get(section).content).iter(f"{SITEMAP}loc")]
        assert 0 < len(urls) <= 1000, section
        pages += urls
    assert len(pages) == len(set(pages)) >= 1000
    assert all(url.startswith(stack.edge) for url in pages)


class SourceAddressAdapter(requests.adapters.HTTPAdapter):
    """Connect from a given local address (127.0.0.2 is loopback, but not the web hosts' 127.0.0.1)."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def refusing_vcl(stack):
    """The shipped VCL with an ACL that trusts nobody: every purge the web hosts send is refused."""
    default = (stack.root / "deploy/varnish/default.vcl").read_text()
    backends = (stack.root / ".stack/varnish/backends.vcl").read_text()
    backends = re.sub(r"acl purgers \{[^}]*\}", 'acl purgers { "192.0.2.1"; }', backends)
    return default.replace('include "backends.vcl";', backends)


def test_a_refused_purge_is_a_failed_task_that_is_retried_and_shown_to_admins(stack, admin_token):
    post = a_live_post(stack)
    post_url = f"{stack.edge}/blog/{post['slug']}/"
    get(post_url)
    assert get(post_url).headers["X-Edge-Cache"] == "hit"
    vcl = stack.root / ".stack/varnish/refusing.vcl"  # where Varnish's compiler may read it
    vcl.write_text(refusing_vcl(stack))
    name = f"refusing_{uuid.uuid4().hex[:6]}"
    stack.varnishadm("vcl.load", name, str(vcl))
    vcl.unlink()
    stack.varnishadm("vcl.use", name)
    admin = log_in(stack, "admin")
    report = f"{stack.edge}/admin/reports/failed-cache-purges/"
    original, title = post["title"], f"{post['title']} ({uuid.uuid4().hex[:8]})"
    try:
        publish_title(stack, admin_token, post["id"], title)

        def listed():
            """the refused purge of the post listed under Reports → Failed cache purges"""
            page = admin.get(report, timeout=10)
            return page.status_code == 200 and f"/blog/{post['slug']}/" in page.text and "403" in page.text

        wait_until(listed, seconds=15, interval=0.5)
        assert title not in get(post_url).text  # the edge still has the old page: the purge did not happen
    finally:
        stack.varnishadm("vcl.use", "boot")
        stack.varnishadm("vcl.discard", name)

    def purged_on_retry():
        """the retried purge went through: the edge serves the new title and the report is empty again"""
        return (
            title in requests.get(post_url, timeout=5).text and f"/blog/{post['slug']}/" not in admin.get(report).text
        )

    wait_until(purged_on_retry, seconds=90, interval=1)
    publish_title(stack, admin_token, post["id"], original)
