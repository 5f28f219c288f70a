"""A page's SQL query count does not grow with the number of blocks, quotes or products on it;
a list's does not grow with its length.

Each test renders a page once to warm image renditions (creating them on a first render is expected),
then counts the queries of a second request for a small and a large version of the same page.
"""

import json
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import BlogPostAuthor

from .. import factories

# Ceilings with some headroom, that still catch a page whose count drifts far from what it was designed for.
MAX_QUERIES = {"post": 50, "index": 20, "home": 20, "shop": 20, "collection": 20}

# A post's page and its API detail, cold (an empty cache): ceilings at what they cost, whatever the post holds.
# The page: the site and routing (4: the home page, the blog section without its own row, the post with its
# hero image), the view restriction check (1), the sign-off and the claims' verifications (2), the site root
# paths for URLs (1), the related posts (1), the post's and the related posts' tags and authors (2), each kind
# of object the body and Shop The Story show, once whatever the block types citing it: sources; experts;
# figure images; products, their images; collections, their products, their images (8); and the renditions of
# every image on the page, heroes, photos, figures and products alike (1); and the trust layer (4): the
# reviewer's credential records, the medical review setting and the editorial standards (each read once, then
# from the cache), the review history from the audit log; and the site's header (2): its sections, the live
# and public pages under the root (cms/site/sections.py), whose public() reads the view restrictions. The
# breadcrumbs reuse the pages routing read.
POST_PAGE_QUERIES = 26
# The API detail: the same, but for routing (one query for the post, no restriction check: public() is a
# subquery of it); the authors' photos join the one renditions query.
POST_DETAIL_QUERIES = 21
SEED_POST = "what-it-means-if-you-cry-after-sex"


def count_queries(client, url):
    """The queries of a request for url once its renditions exist, with an empty cache.

    The first request creates the renditions. Clearing the cache before the second one means a rendition
    found only through Wagtail's rendition cache, not prefetched with its image, shows up as a query.
    """
    cache.clear()  # settings cached by an earlier test name rows its rollback removed: the warm-up makes them
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def report(name, counts, bound):
    print(f"\n{name}: " + ", ".join(f"{size} -> {n} queries" for size, n in counts.items()))
    small, large = counts.values()
    assert small == large, f"{name}: the query count grows with the number of items: {counts}"
    assert large <= bound, f"{name}: {large} queries, more than the {bound} expected"


def build_post(blog, shop, n, tag):
    """A post with n of each kind of body block, each citing or showing distinct objects."""
    experts = [factories.make_expert(specialty="Sexology") for _ in range(n)]
    sources = [factories.make_source() for _ in range(4 * n)]
    products = [factories.make_product(shop) for _ in range(n)]
    body = [{"type": "heading", "value": {"text": "What the studies say", "level": "h2"}}]
    for i in range(n):
        body += [
            factories.expert_quote(experts[i], quote=f"Quote {i}.", sources=[sources[4 * i]]),
            factories.statistic([sources[4 * i + 1]], statement=f"Statistic {i}."),
            factories.claim([sources[4 * i + 2]], statement=f"Claim {i}."),
            {
                "type": "quote",
                "value": {"quote": f"Anonymous {i}.", "attribution": "A reader", "source": sources[4 * i + 3].pk},
            },
            {"type": "paragraph", "value": f"<p>Paragraph {i}.</p>"},
            {
                "type": "image",
                "value": {
                    "image": {"image": factories.make_image().pk, "alt_text": "", "decorative": True},
                    "caption": f"Figure {i}",
                },
            },
        ]
    # A products block holds at most 12 products; more products take more blocks.
    for start in range(0, n, 12):
        body.append(factories.products_block(products[start : start + 12]))

    story_products = [factories.make_product(shop) for _ in range(min(n, 8))]
    collection = factories.make_collection(shop, [factories.make_product(shop) for _ in range(min(n + 1, 6))])
    bundle = factories.make_collection(
        shop, [factories.make_product(shop) for _ in range(min(n + 1, 6))], bundle_price=Decimal("25.00")
    )
    shop_the_story = [{"type": "product", "value": p.pk} for p in story_products]
    shop_the_story += [{"type": "collection", "value": collection.pk}, {"type": "collection", "value": bundle.pk}]

    authors = [BlogPostAuthor(expert=expert) for expert in experts]
    tags = [tag, *(f"{tag}-extra-{i}" for i in range(n))]
    post = factories.make_post(blog, body=body, shop_the_story=shop_the_story, tags=tags, authors=authors)
    # Every claim verified and the article signed off, so the page shows its "Medically reviewed by" line.
    reviewer = get_user_model().objects.create_user(f"reviewer-{tag}")
    factories.make_expert(user=reviewer)
    factories.review_medically(post, reviewer)
    # Posts sharing a tag fill the related posts section, each with tags and an author of its own.
    for i in range(3):
        factories.make_post(
            blog, tags=[tag, f"{tag}-related-{i}"], authors=[BlogPostAuthor(expert=factories.make_expert())]
        )
    return post, experts


def test_post_page_query_count_does_not_grow_with_blocks(client, blog, shop):
    counts = {}
    for n in (1, 20):
        post, experts = build_post(blog, shop, n, tag=f"size-{n}")
        counts[n], html = count_queries(client, post.url)
        assert f"Quote {n - 1}." in html and experts[-1].full_name in html
        assert f"Claim {n - 1}." in html and "Bundle to Save" in html and "Medically reviewed by" in html
        assert f"size-{n}-extra-{n - 1}" in html and html.count('class="card post-card"') == 3
        assert html.count('id="source-') == 4 * n
    report("post page", counts, POST_PAGE_QUERIES)


def test_post_detail_query_count_does_not_grow_with_blocks(client, blog, shop):
    counts = {}
    for n in (1, 20):
        post, experts = build_post(blog, shop, n, tag=f"api-{n}")
        counts[n], body = count_queries(client, f"/api/v3/posts/by-slug/{post.slug}/")
        data = json.loads(body)
        assert len(data["authors"]) == n and len(data["tags"]) == n + 1 and len(data["sources"]) == 4 * n
        assert len(data["related_posts"]) == 3 and data["medical_review"]["status"] == "reviewed"
    report("post detail", counts, POST_DETAIL_QUERIES)


def test_seed_post_page_and_detail_query_counts(client, demo):
    page_queries, html = count_queries(client, f"/blog/{SEED_POST}/")
    assert "Medically reviewed by" in html and "Shop The Story" in html
    detail_queries, _ = count_queries(client, f"/api/v3/posts/by-slug/{SEED_POST}/")
    print(f"\nseed post: page {page_queries} queries, API detail {detail_queries} queries")
    assert page_queries <= POST_PAGE_QUERIES and detail_queries <= POST_DETAIL_QUERIES


def test_blog_index_query_count_does_not_grow_with_posts(client, blog, monkeypatch):
    monkeypatch.setattr("blog.models.POSTS_PER_PAGE", 50)
    counts = {}
    made = 0
    for n in (5, 50):
        while made < n:
            made += 1
            factories.make_post(blog, tags=[f"tag-{made}", "common"])
        counts[n], html = count_queries(client, blog.url)
        assert html.count('class="card post-card"') == n
    report("blog index", counts, MAX_QUERIES["index"])


def test_home_page_query_count_does_not_grow_with_posts_or_featured_products(client, home, blog, shop):
    counts = {}
    for posts, products in ((2, 2), (6, 12)):
        for _ in range(posts):
            factories.make_post(blog, tags=["home"])
        featured = factories.make_collection(shop, [factories.make_product(shop) for _ in range(products)])
        home.featured_collection = featured
        factories.publish(home)
        counts[(posts, products)], html = count_queries(client, home.url)
        assert html.count('class="card product-card"') == products
    report("home page", counts, MAX_QUERIES["home"])


def test_shop_index_query_count_does_not_grow_with_products(client, shop):
    counts = {}
    products = []
    for n, collections in ((5, 1), (30, 3)):
        while len(products) < n:
            products.append(factories.make_product(shop))
        for _ in range(collections):
            factories.make_collection(shop, products[:3], bundle_price=Decimal("30.00"))
        counts[n], html = count_queries(client, shop.url)
        assert html.count('class="card product-card"') == n
    report("shop index", counts, MAX_QUERIES["shop"])


def test_collection_page_query_count_does_not_grow_with_products(client, shop):
    counts = {}
    for n in (2, 12):
        collection = factories.make_collection(
            shop, [factories.make_product(shop) for _ in range(n)], bundle_price=Decimal("10.00")
        )
        counts[n], html = count_queries(client, collection.url)
        assert html.count('class="card product-card"') == n
    report("collection page", counts, MAX_QUERIES["collection"])


def test_expert_profile_query_count_does_not_grow_with_posts(client, blog):
    expert = factories.make_expert()
    counts = {}
    made = 0
    for n in (2, 10):
        while made < n:
            made += 1
            factories.make_post(blog, tags=["expert"], body=[factories.expert_quote(expert)])
        counts[n], html = count_queries(client, expert.get_absolute_url())
        assert html.count('class="card post-card"') == n
    report("expert profile", counts, MAX_QUERIES["index"])


def test_feed_search_and_sitemap_query_counts_do_not_grow_with_posts(client, blog):
    counts = {"feed": {}, "search": {}, "sitemap": {}}
    made = 0
    for n in (2, 10):
        while made < n:
            made += 1
            factories.make_post(blog, title=f"Findable post {made}", tags=[f"tag-{made}", "common"])
        counts["feed"][n], xml = count_queries(client, "/blog/feed/")
        assert xml.count("<item>") == n
        counts["search"][n], html = count_queries(client, "/search/?q=findable")
        assert html.count("Findable post") == n
        counts["sitemap"][n], xml = count_queries(client, "/sitemap-pages.xml")
        assert xml.count("<url>") == n + 2  # and the home page and the blog
    for name, by_size in counts.items():
        report(name, by_size, MAX_QUERIES["index"])
