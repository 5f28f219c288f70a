"""Caches follow publishing: a publish purges the page and every page that shows what changed."""

from decimal import Decimal

import pytest

from ... import factories, frontend_cache

ROOT = "http://testserver"


@pytest.fixture(autouse=True)
def recording_cache(settings):
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": "tests.frontend_cache.RecordingBackend"}}
    frontend_cache.purged.clear()
    return frontend_cache.purged


def purged_after(action):
    frontend_cache.purged.clear()
    action()
    return set(frontend_cache.purged)


def test_publishing_a_post_purges_it_its_index_feed_home_and_its_experts(home, blog):
    expert = factories.make_expert(slug="marie-tudor")
    post = factories.make_post(blog, body=[factories.expert_quote(expert)], live=False)
    purged = purged_after(lambda: post.save_revision().publish())
    assert {
        f"{ROOT}/blog/{post.slug}/",
        f"{ROOT}/blog/",
        f"{ROOT}/blog/feed/",
        f"{ROOT}/",
        f"{ROOT}/experts/marie-tudor/",
    } <= purged


def test_unpublishing_a_post_purges_the_same_pages(home, blog):
    post = factories.make_post(blog)
    purged = purged_after(lambda: post.unpublish())
    assert {f"{ROOT}/blog/{post.slug}/", f"{ROOT}/blog/", f"{ROOT}/blog/feed/", f"{ROOT}/"} <= purged


def test_publishing_an_expert_purges_every_page_that_quotes_them(home, blog):
    expert = factories.make_expert(slug="tantry")
    quoting = factories.make_post(blog, body=[factories.expert_quote(expert)])
    other = factories.make_post(blog)
    expert.name = "Tantry, renamed"
    purged = purged_after(lambda: expert.save_revision().publish())
    assert f"{ROOT}/blog/{quoting.slug}/" in purged
    assert f"{ROOT}/experts/tantry/" in purged
    assert f"{ROOT}/blog/{other.slug}/" not in purged


def test_changing_a_product_purges_the_posts_and_collections_that_show_it(home, blog, shop):
    product = factories.make_product(shop)
    post = factories.make_post(blog, body=[factories.products_block([product])])
    collection = factories.make_collection(shop, [product])
    unrelated = factories.make_post(blog)
    product.price = Decimal("15.00")
    purged = purged_after(lambda: product.save_revision().publish())
    assert {
        f"{ROOT}/shop/{product.slug}/",
        f"{ROOT}/blog/{post.slug}/",
        f"{ROOT}/shop/{collection.slug}/",
        f"{ROOT}/shop/",
        f"{ROOT}/",
    } <= purged
    assert f"{ROOT}/blog/{unrelated.slug}/" not in purged


def test_publishing_a_post_purges_the_apis_endpoints_that_show_it(home, blog):
    post = factories.make_post(blog, live=False)
    purged = purged_after(lambda: post.save_revision().publish())
    assert {
        f"{ROOT}/api/v3/posts/",
        f"{ROOT}/api/v3/posts/{post.pk}/",
        f"{ROOT}/api/v3/posts/by-slug/{post.slug}/",
        f"{ROOT}/api/v3/pages/",
        f"{ROOT}/api/v3/pages/{post.pk}/",
        f"{ROOT}/api/v3/home/",
    } <= purged


def test_publishing_a_product_or_an_expert_purges_their_api_endpoints(home, shop):
    product = factories.make_product(shop)
    purged = purged_after(lambda: product.save_revision().publish())
    assert {f"{ROOT}/api/v3/products/", f"{ROOT}/api/v3/products/{product.pk}/", f"{ROOT}/api/v3/home/"} <= purged
    expert = factories.make_expert(slug="ana-reyes")
    purged = purged_after(lambda: expert.save_revision().publish())
    assert {f"{ROOT}/api/v3/experts/", f"{ROOT}/api/v3/experts/by-slug/ana-reyes/"} <= purged
