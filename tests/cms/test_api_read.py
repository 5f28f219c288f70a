"""The public read API (cms/api/): typed JSON of every block, drafts never shown, filters, query counts, OpenAPI.

Drafts carry a marker word that nothing live contains, as in test_drafts_hidden.py: a response leaks a draft
when the marker appears anywhere in it.
"""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from blog.models import BlogPostAuthor, BlogPostPage

from .. import factories

API = "/api/v3"


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}: {response.content[:500]!r}"
    return response.json()


def verify_every_claim(post, username="reviewer"):
    """A finished medical review of the live post by a reviewer with a published expert profile."""
    reviewer = get_user_model().objects.create_user(username)
    expert = factories.make_expert(user=reviewer, name=f"Reviewer {username}", credentials="MD, OB-GYN")
    # The review names the reviewer's verified credentials (cms/review/credentials.py).
    factories.make_credential(expert, title="MD")
    factories.make_credential(expert, title="OB-GYN")
    factories.review_medically(post, reviewer)
    return expert


def image_block(image, alt="A figure", decorative=False, caption=""):
    return {
        "type": "image",
        "value": {"image": {"image": image.pk, "alt_text": alt, "decorative": decorative}, "caption": caption},
    }


def quote_block(quote, source=None, attribution="A survey respondent"):
    return {"type": "quote", "value": {"quote": quote, "attribution": attribution, "source": source and source.pk}}


def callout_block(html, tone="warning", title="When to get help"):
    return {"type": "callout", "value": {"tone": tone, "title": title, "text": html}}


def blocks_of(post_json, block_type):
    return [block for block in post_json["body"] if block["type"] == block_type]


# The JSON of every block


@pytest.fixture
def full_post(blog, shop):
    """A post with one of every body block type, Shop The Story, authors, tags and a medical review."""
    expert = factories.make_expert(name="Marie Tudor", slug="marie-tudor", credentials="PhD", specialty="Sexology")
    author = factories.make_expert(name="Ana Writer", slug="ana-writer", photo=False)
    study = factories.make_source(title="Males study", authors="Maczkowiack J", year=2019, doi="10.1080/1234.5678")
    survey = factories.make_source(title="Survey of women", url="https://example.com/survey", year=2020)
    journal = factories.make_source(title="Journal survey", pmid="123456")
    lube = factories.make_product(
        shop, title="Silk Touch", price=Decimal("18.00"), compare_at_price=Decimal("22.00"), availability="low_stock"
    )
    oil = factories.make_product(shop, title="Massage oil", price=Decimal("24.00"))
    cards = factories.make_product(shop, title="Cards", price=Decimal("20.00"))
    collection = factories.make_collection(shop, [lube, oil], title="The Sex Collection")
    bundle = factories.make_collection(shop, [oil, cards], title="Aftercare Bundle", bundle_price=Decimal("38.00"))
    linked = factories.make_post(blog, title="Linked post", slug="linked-post")
    figure = factories.make_image("Figure", size=(1600, 900))
    post = factories.make_post(
        blog,
        title="What it means if you cry after sex",
        slug="cry-after-sex",
        dek="You're completely normal.",
        hero_image_alt="Two people resting",
        tags=["sex", "emotional-health"],
        authors=[BlogPostAuthor(expert=author)],
        body=[
            {"type": "heading", "value": {"text": "What Is Postcoital Dysphoria?", "level": "h2"}},
            {"type": "paragraph", "value": f'<p>See <a linktype="page" id="{linked.pk}">this post</a>.</p>'},
            {"type": "list", "value": {"style": "ol", "items": ["Depression", "Crying"]}},
            image_block(figure, alt="A diagram", caption="Figure 1"),
            factories.expert_quote(expert, quote="Letting go can involve crying.", sources=[survey]),
            quote_block("When it feels good, I cry.", source=journal),
            factories.statistic([study], figure="41.00", statement="41% of men have had PCD.", year=2019),
            factories.claim([study, survey], statement="PCD is common."),
            callout_block(f'<p>Talk to <a linktype="page" id="{linked.pk}">someone</a>.</p>'),
            factories.products_block([lube, oil], heading="Shop Now"),
        ],
        shop_the_story=[
            {"type": "product", "value": cards.pk},
            {"type": "collection", "value": collection.pk},
            {"type": "collection", "value": bundle.pk},
        ],
    )
    reviewer = verify_every_claim(post)
    return {
        "post": post,
        "expert": expert,
        "author": author,
        "sources": {"study": study, "survey": survey, "journal": journal},
        "products": {"lube": lube, "oil": oil, "cards": cards},
        "collection": collection,
        "bundle": bundle,
        "linked": linked,
        "reviewer": reviewer,
    }


class TestPostJson:
    def test_every_block_type_is_typed_and_resolved(self, client, full_post):
        post = full_post["post"]
        data = get_json(client, f"{API}/posts/{post.pk}/")
        assert [block["type"] for block in data["body"]] == [
            "heading",
            "paragraph",
            "list",
            "image",
            "expert_quote",
            "quote",
            "statistic",
            "claim",
            "callout",
            "products",
        ]
        assert all(block["id"] for block in data["body"])
        heading, paragraph, list_, image, expert_quote, quote, statistic, claim, callout, products = data["body"]
        strip = lambda block: {key: value for key, value in block.items() if key != "id"}  # noqa: E731

        assert strip(heading) == {
            "type": "heading",
            "text": "What Is Postcoital Dysphoria?",
            "level": "h2",
            "anchor": "what-is-postcoital-dysphoria",
        }
        assert strip(paragraph) == {
            "type": "paragraph",
            "html": '<p>See <a href="/blog/linked-post/">this post</a>.</p>',
        }
        assert strip(list_) == {"type": "list", "style": "ol", "items": ["Depression", "Crying"]}

        assert image["image"]["alt"] == "A diagram" and image["caption"] == "Figure 1"
        assert [r["width"] for r in image["image"]["renditions"]] == [400, 800, 1200]
        assert [r["height"] for r in image["image"]["renditions"]] == [225, 450, 675]
        assert all(r["url"].startswith("http://testserver/media/") for r in image["image"]["renditions"])
        assert all(r["url"].endswith(".webp") for r in image["image"]["renditions"])

        # Sources are numbered in order of first citation: survey (quote), journal (quote), study (statistic).
        expert = full_post["expert"]
        assert expert_quote["quote"] == "Letting go can involve crying." and expert_quote["sources"] == [1]
        assert {key: value for key, value in expert_quote["expert"].items() if key != "photo"} == {
            "id": expert.pk,
            "slug": "marie-tudor",
            "name": "Dr. Marie Tudor",
            "credentials": "PhD",
            "specialty": "Sexology",
            "profile_url": "http://testserver/experts/marie-tudor/",
        }
        # Square crops of 64 and 128 pixels, no larger than the 64x48 photo.
        assert [(r["width"], r["height"]) for r in expert_quote["expert"]["photo"]["renditions"]] == [(48, 48)] * 2
        assert strip(quote) == {
            "type": "quote",
            "quote": "When it feels good, I cry.",
            "attribution": "A survey respondent",
            "sources": [2],
        }
        assert strip(statistic) == {
            "type": "statistic",
            "figure": "41",
            "unit": "percent",
            "statement": "41% of men have had PCD.",
            "population": "adults",
            "sample_size": 100,
            "year": 2019,
            "sources": [3],
        }
        assert strip(claim) == {"type": "claim", "statement": "PCD is common.", "sources": [1, 3]}
        assert strip(callout) == {
            "type": "callout",
            "tone": "warning",
            "title": "When to get help",
            "html": '<p>Talk to <a href="/blog/linked-post/">someone</a>.</p>',
        }

        lube = full_post["products"]["lube"]
        assert products["heading"] == "Shop Now"
        assert [card["title"] for card in products["products"]] == ["Silk Touch", "Massage oil"]
        card = products["products"][0]
        assert {key: value for key, value in card.items() if key != "image"} == {
            "id": lube.pk,
            "title": "Silk Touch",
            "slug": lube.slug,
            "url": f"http://testserver/shop/{lube.slug}/",
            "summary": "",
            "sku": lube.sku,
            "price": "18.00",
            "compare_at_price": "22.00",
            "currency": "USD",
            "price_display": "$18.00",
            "compare_at_price_display": "$22.00",
            "on_sale": True,
            "availability": "low_stock",
            "availability_label": "Low stock",
            "buyable": True,
            "buy_url": lube.buy_url,
            "store_product_id": "",
            "handle": "",
            "variant_ids": [],
            "inventory_quantity": None,
        }
        assert [(r["width"], r["height"]) for r in card["image"]["renditions"]] == [(48, 48), (48, 48)]
        # Each product's store link goes through the click-counting redirect, named by its module.
        post = full_post["post"]
        assert products["module"] == "shop-now"
        assert products["tracked_links"][0] == {
            "target_id": lube.pk,
            "url": f"http://testserver/shop/go/{post.pk}/shop-now/{lube.pk}/",
        }

    def test_the_post_around_its_body(self, client, full_post):
        post, author = full_post["post"], full_post["author"]
        data = get_json(client, f"{API}/posts/by-slug/cry-after-sex/")
        assert data["id"] == post.pk
        assert data["title"] == "What it means if you cry after sex" and data["dek"] == "You're completely normal."
        assert data["url"] == "http://testserver/blog/cry-after-sex/"
        assert data["first_published_at"] and data["hero_image"]["alt"] == "Two people resting"
        assert data["hero_image"]["renditions"][0]["url"].endswith(".webp")
        assert data["tags"] == [
            {"name": "emotional-health", "slug": "emotional-health"},
            {"name": "sex", "slug": "sex"},
        ]
        assert [(a["id"], a["name"], a["photo"]) for a in data["authors"]] == [(author.pk, "Dr. Ana Writer", None)]

        sources = full_post["sources"]
        assert data["sources"] == [
            {
                "number": 1,
                "id": sources["survey"].pk,
                "title": "Survey of women",
                "authors": "",
                "publisher": "Journal of Tests",
                "year": 2020,
                "url": "https://example.com/survey",
                "doi": "",
                "pmid": "",
                "kind": "journal_article",
            },
            {
                "number": 2,
                "id": sources["journal"].pk,
                "title": "Journal survey",
                "authors": "",
                "publisher": "Journal of Tests",
                "year": 2020,
                "url": "https://pubmed.ncbi.nlm.nih.gov/123456/",
                "doi": "",
                "pmid": "123456",
                "kind": "journal_article",
            },
            {
                "number": 3,
                "id": sources["study"].pk,
                "title": "Males study",
                "authors": "Maczkowiack J",
                "publisher": "Journal of Tests",
                "year": 2019,
                "url": "https://doi.org/10.1080/1234.5678",
                "doi": "10.1080/1234.5678",
                "pmid": "",
                "kind": "journal_article",
            },
        ]

        reviewer = full_post["reviewer"]
        review = data["medical_review"]
        assert review["status"] == "reviewed" and review["reviewed_at"]
        assert review["reviewer"] == {
            "id": reviewer.pk,
            "name": reviewer.full_name,
            "credentials": "MD, OB-GYN",
            "profile_url": f"http://testserver/experts/{reviewer.slug}/",
        }
        medical_page = next(node for node in data["json_ld"]["@graph"] if node["@type"] == "MedicalWebPage")
        assert medical_page["reviewedBy"]["name"] == reviewer.full_name

    def test_shop_the_story_with_a_collection_and_a_bundle(self, client, full_post):
        data = get_json(client, f"{API}/posts/{full_post['post'].pk}/")
        product, collection, bundle = data["shop_the_story"]
        assert product["type"] == "product" and product["product"]["title"] == "Cards"
        assert product["product"]["compare_at_price"] is None and product["product"]["on_sale"] is False

        assert collection["type"] == "collection"
        assert collection["collection"]["title"] == "The Sex Collection" and not collection["collection"]["is_bundle"]
        assert [p["title"] for p in collection["collection"]["products"]] == ["Silk Touch", "Massage oil"]
        assert collection["collection"]["bundle_price"] is None and collection["collection"]["savings"] is None

        bundle = bundle["collection"]
        assert bundle["is_bundle"] and [p["title"] for p in bundle["products"]] == ["Massage oil", "Cards"]
        assert (bundle["currency"], bundle["items_total"], bundle["bundle_price"]) == ("USD", "44.00", "38.00")
        assert (bundle["savings"], bundle["savings_percent"]) == ("6.00", 14)
        post = full_post["post"]
        assert product["tracked_url"].endswith(f"/shop/go/{post.pk}/shop-the-story/{product['product']['id']}/")
        assert collection["tracked_url"] == "", "a collection is not bought as one"
        assert data["shop_the_story"][2]["tracked_url"].endswith(f"/shop-the-story/{bundle['id']}/")

    @pytest.mark.parametrize(("figure", "expected"), [("100.00", "100"), ("20.20", "20.2"), ("1208", "1208")])
    def test_figures_are_plain_decimal_strings(self, client, blog, figure, expected):
        post = factories.make_post(blog, body=[factories.statistic([factories.make_source()], figure=figure)])
        assert get_json(client, f"{API}/posts/{post.pk}/")["body"][0]["figure"] == expected

    def test_a_post_with_an_unverified_claim_is_not_reviewed(self, client, blog):
        post = factories.make_post(blog, body=[factories.claim([factories.make_source()])])
        review = get_json(client, f"{API}/posts/{post.pk}/")["medical_review"]
        assert {key: review[key] for key in ("status", "reviewer", "reviewed_at")} == {
            "status": "not reviewed",
            "reviewer": None,
            "reviewed_at": None,
        }

    def test_an_unknown_post_is_a_json_404(self, client, blog):
        response = client.get(f"{API}/posts/987654/")
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404
        assert client.get(f"{API}/posts/by-slug/no-such-post/").status_code == 404


# Drafts never appear

DRAFT_POST = "qzapidraftpost"
WITHDRAWN_POST = "qzapiwithdrawnpost"
DRAFT_EXPERT = "qzapidraftexpert"
DRAFT_SOURCE = "qzapidraftsource"
DRAFT_PRODUCT = "qzapidraftproduct"
DRAFT_COLLECTION = "qzapidraftcollection"
DRAFT_REVISION = "qzapidraftrevision"
MARKERS = [DRAFT_POST, WITHDRAWN_POST, DRAFT_EXPERT, DRAFT_SOURCE, DRAFT_PRODUCT, DRAFT_COLLECTION, DRAFT_REVISION]
DRAFT_EXPERT_QUOTE = "Words of an unpublished expert."


def leaked_markers(text):
    lowered = text.lower()
    return [marker for marker in MARKERS if marker in lowered]


@pytest.fixture
def world(home, blog, shop):
    """A live site whose live content refers to a draft of every kind."""
    live_expert = factories.make_expert(name="Marie Tudor", slug="marie-tudor")
    draft_expert = factories.make_expert(live=False, name=DRAFT_EXPERT.title(), slug=DRAFT_EXPERT)
    live_source = factories.make_source(title="Survey of couples")
    draft_source = factories.make_source(live=False, title=f"{DRAFT_SOURCE.title()} study")
    live_product = factories.make_product(shop, title="Massage oil", slug="massage-oil")
    draft_product = factories.make_product(
        shop, live=False, title=f"{DRAFT_PRODUCT.title()} candle", slug=DRAFT_PRODUCT, sku=DRAFT_PRODUCT
    )
    collection = factories.make_collection(
        shop, [draft_product, live_product], title="Sex collection", slug="sex-collection", bundle_price=Decimal("15")
    )
    draft_collection = factories.make_collection(
        shop, [live_product], live=False, title=DRAFT_COLLECTION.title(), slug=DRAFT_COLLECTION
    )
    home.featured_collection = collection
    factories.publish(home)

    live_post = factories.make_post(
        blog,
        title="Why people cry after sex",
        slug="cry-after-sex",
        tags=["feelings"],
        authors=[BlogPostAuthor(expert=draft_expert), BlogPostAuthor(expert=live_expert)],
        body=[
            {"type": "paragraph", "value": "<p>The live body text.</p>"},
            factories.expert_quote(live_expert, quote="It is common.", sources=[live_source]),
            factories.expert_quote(draft_expert, quote=DRAFT_EXPERT_QUOTE, sources=[draft_source]),
            factories.statistic([draft_source, live_source], statement="46% of women have felt it."),
            factories.claim([draft_source], statement="Hormones play a part."),
            quote_block("I cry.", source=draft_source),
            factories.products_block([draft_product, live_product]),
            factories.products_block([draft_product], heading="Only drafts"),
        ],
        shop_the_story=[
            {"type": "product", "value": draft_product.pk},
            {"type": "product", "value": live_product.pk},
            {"type": "collection", "value": collection.pk},
            {"type": "collection", "value": draft_collection.pk},
        ],
    )
    draft_body = [factories.expert_quote(live_expert, quote="Also common.", sources=[live_source])]
    draft_post = factories.make_post(
        blog, live=False, title=f"{DRAFT_POST.title()} tears", slug=DRAFT_POST, tags=["feelings"], body=draft_body
    )
    withdrawn_post = factories.make_post(
        blog, title=f"{WITHDRAWN_POST.title()} tears", slug=WITHDRAWN_POST, tags=["feelings"], body=draft_body
    )
    withdrawn_post.unpublish()

    # A newer draft of the live post, saved but not published.
    draft = live_post.get_latest_revision_as_object()
    draft.title = f"{DRAFT_REVISION.title()} headline"
    draft.body = [{"type": "paragraph", "value": f"<p>The {DRAFT_REVISION} body text.</p>"}]
    draft.save_revision()

    return {
        "live_post": live_post,
        "live_expert": live_expert,
        "live_source": live_source,
        "live_product": live_product,
        "collection": collection,
        "draft_post": draft_post,
        "withdrawn_post": withdrawn_post,
        "draft_expert": draft_expert,
        "draft_source": draft_source,
        "draft_product": draft_product,
        "draft_collection": draft_collection,
    }


class TestDraftsNeverAppear:
    def test_public_responses_show_no_draft(self, client, world):
        post = world["live_post"]
        urls = [
            f"{API}/posts/",
            f"{API}/posts/?tag=feelings",
            f"{API}/posts/?expert=marie-tudor",
            f"{API}/posts/?product=massage-oil",
            f"{API}/posts/?search=tears",
            f"{API}/posts/{post.pk}/",
            f"{API}/posts/by-slug/cry-after-sex/",
            f"{API}/experts/",
            f"{API}/experts/{world['live_expert'].pk}/",
            f"{API}/sources/",
            f"{API}/products/",
            f"{API}/products/{world['live_product'].pk}/",
            f"{API}/collections/",
            f"{API}/collections/{world['collection'].pk}/",
            f"{API}/home/",
        ]
        responses = {url: client.get(url) for url in urls}
        assert {url: r.status_code for url, r in responses.items() if r.status_code != 200} == {}
        leaks = {url: markers for url, r in responses.items() if (markers := leaked_markers(r.content.decode()))}
        assert leaks == {}, f"drafts leaked: {leaks}"

    def test_the_live_post_shows_what_is_published_around_the_drafts(self, client, world):
        data = get_json(client, f"{API}/posts/{world['live_post'].pk}/")
        assert data["title"] == "Why people cry after sex"  # not the newer draft's title
        assert [author["name"] for author in data["authors"]] == ["Dr. Marie Tudor"]
        types = [block["type"] for block in data["body"]]
        # The draft expert's quote goes with its block; the products block of drafts only is left out.
        assert types == ["paragraph", "expert_quote", "statistic", "claim", "quote", "products"]
        assert DRAFT_EXPERT_QUOTE not in json.dumps(data)
        assert [source["title"] for source in data["sources"]] == ["Survey of couples"]
        _, quote, statistic, claim, anonymous, products = data["body"]
        assert (quote["sources"], statistic["sources"], claim["sources"], anonymous["sources"]) == ([1], [1], [], [])
        assert [p["title"] for p in products["products"]] == ["Massage oil"]
        story = data["shop_the_story"]
        assert [item["type"] for item in story] == ["product", "collection"]
        assert story[0]["product"]["title"] == "Massage oil"
        assert [p["title"] for p in story[1]["collection"]["products"]] == ["Massage oil"]
        # The bundle's savings count only its published products.
        assert story[1]["collection"]["items_total"] == "20.00"

    def test_drafts_are_not_found(self, client, world):
        for url in [
            f"{API}/posts/{world['draft_post'].pk}/",
            f"{API}/posts/by-slug/{DRAFT_POST}/",
            f"{API}/posts/{world['withdrawn_post'].pk}/",
            f"{API}/posts/by-slug/{WITHDRAWN_POST}/",
            f"{API}/experts/{world['draft_expert'].pk}/",
            f"{API}/experts/by-slug/{DRAFT_EXPERT}/",
            f"{API}/sources/{world['draft_source'].pk}/",
            f"{API}/products/{world['draft_product'].pk}/",
            f"{API}/products/by-slug/{DRAFT_PRODUCT}/",
            f"{API}/collections/{world['draft_collection'].pk}/",
            f"{API}/collections/by-slug/{DRAFT_COLLECTION}/",
        ]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert not leaked_markers(response.content.decode()), url

    def test_filters_on_drafts_find_nothing(self, client, world):
        for query in (f"expert={DRAFT_EXPERT}", f"product={DRAFT_PRODUCT}", f"search={DRAFT_POST}"):
            assert get_json(client, f"{API}/posts/?{query}") == {"count": 0, "items": [], "next": None}, query
        listed = get_json(client, f"{API}/posts/?tag=feelings")
        assert [post["slug"] for post in listed["items"]] == ["cry-after-sex"]

    def test_a_post_behind_a_view_restriction_is_not_public(self, client, world):
        post = world["live_post"]
        PageViewRestriction.objects.create(page=post, restriction_type="password", password="secret")
        assert client.get(f"{API}/posts/{post.pk}/").status_code == 404
        assert get_json(client, f"{API}/posts/")["count"] == 0

    def test_a_session_login_shows_no_draft_either(self, client, world):
        client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.com", "pw"))
        assert client.get(f"{API}/posts/{world['draft_post'].pk}/").status_code == 404
        assert not leaked_markers(client.get(f"{API}/posts/").content.decode())


# Filters, ordering and pagination


@pytest.fixture
def posts(blog, shop):
    tudor = factories.make_expert(name="Marie Tudor", slug="marie-tudor")
    author = factories.make_expert(name="Ana Writer", slug="ana-writer")
    oil = factories.make_product(shop, title="Massage oil", slug="massage-oil")
    soak = factories.make_product(shop, title="Bath soak", slug="bath-soak")
    bundle = factories.make_collection(shop, [soak], title="Bundle", bundle_price=Decimal("10"))
    made = {
        "quoting": factories.make_post(
            blog, title="Crying after sex", tags=["sex"], body=[factories.expert_quote(tudor, quote="Tears.")]
        ),
        "authored": factories.make_post(
            blog, title="Aftercare basics", tags=["sex", "aftercare"], authors=[BlogPostAuthor(expert=author)]
        ),
        "shop_now": factories.make_post(
            blog, title="Bath time", tags=["aftercare"], body=[factories.products_block([oil])]
        ),
        "story": factories.make_post(
            blog, title="Oils explained", shop_the_story=[{"type": "product", "value": oil.pk}]
        ),
        "bundled": factories.make_post(
            blog, title="Zen evening", shop_the_story=[{"type": "collection", "value": bundle.pk}]
        ),
    }
    return {**made, "tudor": tudor, "author": author, "oil": oil, "soak": soak}


def titles(client, query):
    return [post["title"] for post in get_json(client, f"{API}/posts/?{query}")["items"]]


class TestPostFilters:
    def test_newest_first_by_default(self, client, posts):
        assert titles(client, "") == [
            "Zen evening",
            "Oils explained",
            "Bath time",
            "Aftercare basics",
            "Crying after sex",
        ]

    @pytest.mark.parametrize(
        ("order", "expected"),
        [
            ("oldest", ["Crying after sex", "Aftercare basics", "Bath time", "Oils explained", "Zen evening"]),
            ("title", ["Aftercare basics", "Bath time", "Crying after sex", "Oils explained", "Zen evening"]),
        ],
    )
    def test_ordering(self, client, posts, order, expected):
        assert titles(client, f"order={order}") == expected

    def test_by_tag(self, client, posts):
        assert titles(client, "tag=aftercare") == ["Bath time", "Aftercare basics"]
        assert titles(client, "tag=no-such-tag") == []

    def test_by_expert_quoted_or_author_by_slug_or_id(self, client, posts):
        assert titles(client, "expert=marie-tudor") == ["Crying after sex"]
        assert titles(client, f"expert={posts['tudor'].pk}") == ["Crying after sex"]
        assert titles(client, "expert=ana-writer") == ["Aftercare basics"]
        assert titles(client, "expert=nobody") == []

    def test_by_product_in_the_body_shop_the_story_or_a_bundle(self, client, posts):
        assert titles(client, "product=massage-oil") == ["Oils explained", "Bath time"]
        assert titles(client, f"product={posts['soak'].pk}") == ["Zen evening"]

    def test_search(self, client, posts):
        assert titles(client, "search=crying") == ["Crying after sex"]
        assert titles(client, "search=oils&order=title") == ["Oils explained"]

    def test_filters_combine(self, client, posts):
        assert titles(client, "tag=sex&order=title") == ["Aftercare basics", "Crying after sex"]
        assert titles(client, "tag=sex&search=crying") == ["Crying after sex"]
        assert titles(client, "tag=aftercare&product=massage-oil") == ["Bath time"]

    def test_pagination_counts_every_match(self, client, posts):
        page = get_json(client, f"{API}/posts/?order=title&limit=2&offset=1")
        assert page["count"] == 5 and [post["title"] for post in page["items"]] == ["Bath time", "Crying after sex"]
        assert get_json(client, f"{API}/posts/?offset=10") == {"count": 5, "items": [], "next": None}

    @pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "order=random", "limit=abc"])
    def test_bad_parameters_get_a_json_422(self, client, posts, query):
        response = client.get(f"{API}/posts/?{query}")
        assert response.status_code == 422, query
        assert response["Content-Type"] == "application/problem+json" and response.json()["errors"]

    @pytest.mark.parametrize(
        ("url", "status"),
        [
            ("/posts/?tag=%00", 422),
            ("/posts/?search=a%00b", 422),
            ("/posts/99999999999999999999999/", 422),
            ("/posts/0/", 422),
            ("/posts/by-slug/a%00b/", 422),
            ("/posts/?offset=99999999999999999999", 422),
            ("/posts/?expert=99999999999999999999999", 200),
            ("/sources/?kind=nope", 422),
        ],
    )
    def test_bad_input_gets_a_client_error(self, client, posts, url, status):
        response = client.get(f"{API}{url}")
        assert response.status_code == status, response.content[:300]

    @pytest.mark.parametrize("query", ['"', 'a"b*', "   ", "(", "NEAR(", "title:x", "%"])
    def test_search_syntax_is_plain_words(self, client, posts, query):
        for endpoint in ("posts", "experts", "sources", "products", "collections"):
            response = client.get(f"{API}/{endpoint}/", {"search": query})
            assert response.status_code == 200, (endpoint, query, response.content[:300])


class TestOtherEndpoints:
    def test_experts(self, client, posts):
        data = get_json(client, f"{API}/experts/")
        assert data["count"] == 2 and [e["name"] for e in data["items"]] == ["Dr. Ana Writer", "Dr. Marie Tudor"]
        tudor = get_json(client, f"{API}/experts/by-slug/marie-tudor/")
        assert tudor == get_json(client, f"{API}/experts/{posts['tudor'].pk}/")
        assert tudor["profile_url"] == "http://testserver/experts/marie-tudor/"
        assert [r["width"] for r in tudor["photo"]["renditions"]] == [48, 48]  # a 64x48 photo is not enlarged
        assert [e["slug"] for e in get_json(client, f"{API}/experts/?search=tudor")["items"]] == ["marie-tudor"]

    def test_sources(self, client, db):
        study = factories.make_source(title="A study", kind="survey")
        factories.make_source(title="A book", kind="book")
        assert [s["title"] for s in get_json(client, f"{API}/sources/")["items"]] == ["A book", "A study"]
        assert [s["title"] for s in get_json(client, f"{API}/sources/?kind=survey")["items"]] == ["A study"]
        assert get_json(client, f"{API}/sources/{study.pk}/")["title"] == "A study"
        # The search index cannot filter by kind: the database does, among the hits.
        assert [s["title"] for s in get_json(client, f"{API}/sources/?search=study&kind=survey")["items"]] == [
            "A study"
        ]
        assert get_json(client, f"{API}/sources/?search=study&kind=book")["count"] == 0

    def test_products(self, client, shop):
        cheap = factories.make_product(shop, title="Cheap", price=Decimal("5"), availability="out_of_stock")
        factories.make_product(shop, title="Dear", price=Decimal("50"))
        collection = factories.make_collection(shop, [cheap], slug="only-cheap")
        assert [p["title"] for p in get_json(client, f"{API}/products/?order=-price")["items"]] == ["Dear", "Cheap"]
        out = get_json(client, f"{API}/products/?availability=out_of_stock")["items"]
        assert [(p["title"], p["buyable"]) for p in out] == [("Cheap", False)]
        assert [p["title"] for p in get_json(client, f"{API}/products/?collection=only-cheap")["items"]] == ["Cheap"]
        assert [p["title"] for p in get_json(client, f"{API}/products/?collection={collection.pk}")["items"]] == [
            "Cheap"
        ]
        detail = get_json(client, f"{API}/products/by-slug/{cheap.slug}/")
        assert detail == get_json(client, f"{API}/products/{cheap.pk}/")
        assert detail["price"] == "5.00" and [r["width"] for r in detail["images"][0]["renditions"]] == [48, 48]
        # The search index cannot order by price or filter by availability: the database does, among the hits.
        assert [p["title"] for p in get_json(client, f"{API}/products/?search=cheap&order=-price")["items"]] == [
            "Cheap"
        ]
        found = get_json(client, f"{API}/products/?search=dear&availability=in_stock&order=price")
        assert [p["title"] for p in found["items"]] == ["Dear"]

    def test_collections(self, client, shop):
        product = factories.make_product(shop, price=Decimal("30"))
        factories.make_collection(shop, [product], title="Plain")
        bundle = factories.make_collection(shop, [product], title="Bundle", slug="bundle", bundle_price=Decimal("25"))
        assert [c["title"] for c in get_json(client, f"{API}/collections/")["items"]] == ["Bundle", "Plain"]
        assert [c["title"] for c in get_json(client, f"{API}/collections/?bundle=true")["items"]] == ["Bundle"]
        assert [c["title"] for c in get_json(client, f"{API}/collections/?bundle=false")["items"]] == ["Plain"]
        data = get_json(client, f"{API}/collections/by-slug/bundle/")
        assert data == get_json(client, f"{API}/collections/{bundle.pk}/")
        assert (data["savings"], data["savings_percent"]) == ("5.00", 17)

    def test_home(self, client, home, blog, shop):
        collection = factories.make_collection(shop, [factories.make_product(shop)], title="Featured")
        home.featured_collection = collection
        factories.publish(home)
        for n in range(8):
            factories.make_post(blog, title=f"Post number {n}")
        data = get_json(client, f"{API}/home/")
        assert data["id"] == home.pk and data["url"] == "http://testserver/"
        assert [post["title"] for post in data["latest_posts"]] == [f"Post number {n}" for n in range(7, 1, -1)]
        assert data["featured_collection"]["title"] == "Featured"


# Query counts


def count_queries(client, url):
    """The queries of a request once its renditions exist, with an empty cache (as tests/blog/test_query_counts.py)."""
    cache.clear()  # settings cached by an earlier test name rows its rollback removed: the warm-up makes them
    assert client.get(url).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.json()


def build_post(blog, shop, n, tag):
    """A post with n of each kind of body block, each citing or showing distinct objects, fully reviewed."""
    experts = [factories.make_expert() for _ in range(n)]
    sources = [factories.make_source() for _ in range(4 * n)]
    products = [factories.make_product(shop) for _ in range(n)]
    linked = factories.make_post(blog, tags=[f"{tag}-linked"])
    body = []
    for i in range(n):
        body += [
            {"type": "heading", "value": {"text": f"Heading {i}", "level": "h2"}},
            {"type": "paragraph", "value": f'<p>Paragraph {i} <a linktype="page" id="{linked.pk}">link</a>.</p>'},
            {"type": "list", "value": {"style": "ul", "items": [f"Item {i}"]}},
            image_block(factories.make_image(), caption=f"Figure {i}"),
            factories.expert_quote(experts[i], quote=f"Quote {i}.", sources=[sources[4 * i]]),
            quote_block(f"Anonymous {i}.", source=sources[4 * i + 3]),
            factories.statistic([sources[4 * i + 1]], statement=f"Statistic {i}."),
            factories.claim([sources[4 * i + 2]], statement=f"Claim {i}."),
            callout_block(f'<p>Callout {i} <a linktype="page" id="{linked.pk}">link</a>.</p>'),
        ]
    for start in range(0, n, 12):
        body.append(factories.products_block(products[start : start + 12]))
    story_products = [factories.make_product(shop) for _ in range(min(n, 8))]
    collection = factories.make_collection(shop, [factories.make_product(shop) for _ in range(min(n + 1, 6))])
    bundle = factories.make_collection(
        shop, [factories.make_product(shop) for _ in range(min(n + 1, 6))], bundle_price=Decimal("25.00")
    )
    shop_the_story = [{"type": "product", "value": p.pk} for p in story_products]
    shop_the_story += [{"type": "collection", "value": collection.pk}, {"type": "collection", "value": bundle.pk}]
    authors = [BlogPostAuthor(expert=expert) for expert in experts[:5]]
    post = factories.make_post(blog, body=body, shop_the_story=shop_the_story, tags=[tag, f"{tag}-2"], authors=authors)
    verify_every_claim(post, username=f"reviewer-{tag}")
    for _ in range(3):  # related posts
        factories.make_post(blog, tags=[tag], authors=[BlogPostAuthor(expert=experts[0])])
    return post


def report(name, counts):
    print(f"\n{name}: " + ", ".join(f"{size} -> {n} queries" for size, n in counts.items()))
    small, large = counts.values()
    assert small == large, f"{name}: the query count grows with the content: {counts}"


class TestQueryCounts:
    def test_post_detail_does_not_grow_with_blocks(self, client, blog, shop):
        counts = {}
        for n in (1, 20):
            post = build_post(blog, shop, n, tag=f"size-{n}")
            counts[n], data = count_queries(client, f"{API}/posts/{post.pk}/")
            assert len(data["body"]) == 9 * n + (n + 11) // 12
            assert len(data["sources"]) == 4 * n and data["medical_review"]["status"] == "reviewed"
            assert len(data["related_posts"]) == 3 and len(data["shop_the_story"]) == min(n, 8) + 2
            assert all(block["expert"]["photo"]["renditions"] for block in blocks_of(data, "expert_quote"))
        report("post detail", counts)

    def test_post_list_does_not_grow_with_posts(self, client, blog):
        counts = {}
        made = 0
        for n in (5, 50):
            while made < n:
                made += 1
                expert = factories.make_expert()
                factories.make_post(blog, tags=[f"tag-{made}", "common"], authors=[BlogPostAuthor(expert=expert)])
            counts[n], data = count_queries(client, f"{API}/posts/?limit=100&tag=common")
            assert data["count"] == n and len(data["items"]) == n
            assert all(post["authors"][0]["photo"] and post["hero_image"] for post in data["items"])
        report("post list", counts)

    def test_post_search_does_not_grow_with_posts(self, client, blog):
        counts = {}
        made = 0
        for n in (2, 12):
            while made < n:
                made += 1
                factories.make_post(
                    blog, title=f"Findable post {made}", authors=[BlogPostAuthor(expert=factories.make_expert())]
                )
            counts[n], data = count_queries(client, f"{API}/posts/?search=findable&limit=50")
            assert data["count"] == n
        report("post search", counts)

    def test_shop_lists_and_home_do_not_grow(self, client, home, blog, shop):
        counts = {"products": {}, "collections": {}, "experts": {}, "home": {}}
        for n in (2, 10):
            products = [factories.make_product(shop) for _ in range(n)]
            factories.make_collection(shop, products, bundle_price=Decimal("5"))
            home.featured_collection = factories.make_collection(shop, products)
            factories.publish(home)
            for _ in range(n):
                factories.make_post(blog, authors=[BlogPostAuthor(expert=factories.make_expert())])
            for name in counts:
                query = "" if name == "home" else "?limit=100"  # the home page is no list
                counts[name][n], _ = count_queries(client, f"{API}/{name}/{query}")
        for name, by_size in counts.items():
            report(name, by_size)


# OpenAPI


def test_openapi_describes_every_endpoint_and_each_block_type(client, db):
    schema = get_json(client, f"{API}/openapi.json")
    paths = schema["paths"]
    for path in [
        "/posts/",
        "/posts/{post_id}/",
        "/posts/by-slug/{slug}/",
        "/experts/",
        "/experts/{expert_id}/",
        "/experts/by-slug/{slug}/",
        "/sources/",
        "/sources/{source_id}/",
        "/products/",
        "/products/{product_id}/",
        "/products/by-slug/{slug}/",
        "/collections/",
        "/collections/{collection_id}/",
        "/collections/by-slug/{slug}/",
        "/home/",
    ]:
        assert "get" in paths[f"{API}{path}"], path
    parameters = {p["name"] for p in paths[f"{API}/posts/"]["get"]["parameters"]}
    assert parameters == {"tag", "expert", "product", "search", "order", "limit", "offset", "after"}

    components = schema["components"]["schemas"]
    body = components["Post"]["properties"]["body"]["items"]
    block_types = {
        "heading": ("text", "level"),
        "paragraph": ("html",),
        "list": ("style", "items"),
        "image": ("image", "caption"),
        "expert_quote": ("quote", "expert", "sources"),
        "quote": ("quote", "attribution", "sources"),
        "statistic": ("figure", "unit", "statement", "population", "sample_size", "year", "sources"),
        "claim": ("statement", "sources"),
        "callout": ("tone", "title", "html"),
        "products": ("heading", "products"),
    }
    assert body["discriminator"]["propertyName"] == "type"
    # Every block type the body has, those added after this list included, has its schema.
    assert set(body["discriminator"]["mapping"]) == set(BlogPostPage._meta.get_field("body").stream_block.child_blocks)
    for block_type, fields in block_types.items():
        name = body["discriminator"]["mapping"][block_type].rsplit("/", 1)[1]
        properties = components[name]["properties"]
        assert properties["type"]["const"] == block_type
        assert set(fields) <= set(properties), name
    assert components["StatisticBlock"]["properties"]["sources"]["items"] == {"type": "integer"}
    expert = components["ExpertQuoteBlock"]["properties"]["expert"]["$ref"].rsplit("/", 1)[1]
    assert {"name", "credentials", "profile_url", "photo"} <= set(components[expert]["properties"])
    assert {"price", "compare_at_price", "availability", "image"} <= set(components["ProductCard"]["properties"])
    assert {"bundle_price", "savings", "savings_percent"} <= set(components["Collection"]["properties"])
    assert {"medical_review", "sources", "shop_the_story"} <= set(components["Post"]["properties"])
