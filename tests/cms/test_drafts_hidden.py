"""Drafts never leak to the public site.

Every draft carries a marker word, in its title, slug and text, that nothing live contains; a public page
leaks a draft when the marker appears anywhere in its body, markup and JSON-LD included.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from blog.models import BlogPostAuthor

from .. import factories

# One word per draft, lowercase letters only, so full-text search finds it as a single token.
NEVER_PUBLISHED_POST = "qzneverpost"
WITHDRAWN_POST = "qzwithdrawnpost"
DRAFT_EXPERT = "qzdraftexpert"
DRAFT_SOURCE = "qzdraftsource"
DRAFT_PRODUCT = "qzdraftproduct"
DRAFT_REVISION = "qzdraftrevision"
MARKERS = [NEVER_PUBLISHED_POST, WITHDRAWN_POST, DRAFT_EXPERT, DRAFT_SOURCE, DRAFT_PRODUCT, DRAFT_REVISION]
# A live post's quote of the draft expert is left out of the page with its attribution. (It is part of the
# post's own text, so it stays in the post's search index entry; results never show it.)
DRAFT_EXPERT_QUOTE = "Words of an unpublished expert."


@dataclass
class World:
    live_post: object
    live_expert: object
    live_sources: list
    live_product: object
    collection: object
    never_published_post: object
    withdrawn_post: object
    draft_expert: object
    draft_product: object


@pytest.fixture
def world(home, blog, shop):
    """A live site whose live content refers to a draft of every kind."""
    live_expert = factories.make_expert(name="Marie Tudor", slug="marie-tudor")
    draft_expert = factories.make_expert(live=False, name=DRAFT_EXPERT.title(), slug=DRAFT_EXPERT)
    source_a = factories.make_source(title="Survey of couples")
    source_b = factories.make_source(title="Review of tears")
    draft_source = factories.make_source(live=False, title=f"{DRAFT_SOURCE.title()} study")
    live_product = factories.make_product(shop, title="Massage oil")
    draft_product = factories.make_product(
        shop, live=False, title=f"{DRAFT_PRODUCT.title()} candle", slug=DRAFT_PRODUCT, sku=DRAFT_PRODUCT
    )
    collection = factories.make_collection(
        shop, [draft_product, live_product], title="Sex collection", bundle_price=Decimal("15.00")
    )
    home.featured_collection = collection
    factories.publish(home)

    live_post = factories.make_post(
        blog,
        title="Why people cry after sex",
        slug="cry-after-sex",
        dek="Postcoital dysphoria explained.",
        tags=["feelings"],
        authors=[BlogPostAuthor(expert=draft_expert), BlogPostAuthor(expert=live_expert)],
        body=[
            {"type": "paragraph", "value": "<p>The live body text.</p>"},
            factories.expert_quote(live_expert, quote="It is common.", sources=[source_a]),
            factories.expert_quote(draft_expert, quote=DRAFT_EXPERT_QUOTE, sources=[draft_source]),
            factories.statistic([draft_source, source_a], statement="46% of women have felt it."),
            factories.claim([source_b], statement="It is not a disorder."),
            factories.claim([draft_source], statement="Hormones play a part."),
            {"type": "quote", "value": {"quote": "I cry.", "attribution": "A respondent", "source": draft_source.pk}},
            factories.products_block([draft_product, live_product]),
        ],
        shop_the_story=[
            {"type": "product", "value": draft_product.pk},
            {"type": "product", "value": live_product.pk},
            {"type": "collection", "value": collection.pk},
        ],
    )
    # Drafts that would otherwise be listed beside it: same tag, quoting the same live expert.
    draft_body = [factories.expert_quote(live_expert, quote="Also common.", sources=[source_a])]
    never_published_post = factories.make_post(
        blog,
        live=False,
        title=f"{NEVER_PUBLISHED_POST.title()} tears",
        slug=NEVER_PUBLISHED_POST,
        dek=f"About {NEVER_PUBLISHED_POST}.",
        tags=["feelings"],
        body=draft_body,
    )
    withdrawn_post = factories.make_post(
        blog,
        title=f"{WITHDRAWN_POST.title()} tears",
        slug=WITHDRAWN_POST,
        dek=f"About {WITHDRAWN_POST}.",
        tags=["feelings"],
        body=draft_body,
    )
    withdrawn_post.unpublish()

    # A newer draft of the live post, saved but not published.
    draft = live_post.get_latest_revision_as_object()
    draft.title = f"{DRAFT_REVISION.title()} headline"
    draft.dek = f"A {DRAFT_REVISION} dek."
    draft.body = [{"type": "paragraph", "value": f"<p>The {DRAFT_REVISION} body text.</p>"}]
    draft.save_revision()

    return World(
        live_post=live_post,
        live_expert=live_expert,
        live_sources=[source_a, source_b],
        live_product=live_product,
        collection=collection,
        never_published_post=never_published_post,
        withdrawn_post=withdrawn_post,
        draft_expert=draft_expert,
        draft_product=draft_product,
    )


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def leaked_markers(html):
    lowered = html.lower()
    return [marker for marker in MARKERS if marker in lowered]


def test_draft_urls_are_not_found(client, world):
    for url in [
        world.never_published_post.url,
        world.withdrawn_post.url,
        world.draft_product.url,
        world.draft_expert.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert not leaked_markers(response.content.decode()), url


def test_public_pages_show_no_draft(client, world):
    pages = {
        "post page": world.live_post.url,
        "blog index": "/blog/",
        "blog index by tag": "/blog/?tag=feelings",
        "home": "/",
        "shop index": "/shop/",
        "collection page": world.collection.url,
        "product page": world.live_product.url,
        "expert profile": world.live_expert.get_absolute_url(),
        "RSS feed": "/blog/feed/",
        "sitemap": "/sitemap-pages.xml",
        "experts' sitemap": "/sitemap-experts.xml",
    }
    html = {name: get_html(client, url) for name, url in pages.items()}
    leaks = {name: markers for name, body in html.items() if (markers := leaked_markers(body))}
    assert leaks == {}, f"drafts leaked: {leaks}"

    # The same pages do show the live content around the drafts, so the absences above mean something.
    post = html["post page"]
    assert "The live body text." in post and "It is common." in post and "Massage oil" in post
    assert DRAFT_EXPERT_QUOTE not in post
    assert "Sex collection" in post and "Marie Tudor" in post
    for name in ("blog index", "blog index by tag", "home", "RSS feed", "sitemap", "expert profile"):
        assert "cry-after-sex" in html[name], name
    for name in ("home", "shop index", "collection page"):
        assert "Massage oil" in html[name], name
    assert "/experts/marie-tudor/" in html["experts' sitemap"] and world.live_product.url in html["sitemap"]


def test_byline_and_structured_data_leave_out_a_draft_author(client, world):
    html = get_html(client, world.live_post.url)
    byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
    assert "Marie Tudor" in byline and DRAFT_EXPERT not in byline.lower()
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "Marie Tudor" in json_ld and not leaked_markers(json_ld)


def search_results(client, query):
    html = get_html(client, f"/search/?q={query}")
    count = int(re.search(r'<p role="status">(\d+) result', html).group(1))
    listed = re.search(r'<ol class="search-results">(.*?)</ol>', html, re.S).group(1)
    return count, listed


def test_search_finds_no_draft(client, world):
    count, listed = search_results(client, "cry")
    assert count == 1 and "cry-after-sex" in listed  # the search works, and finds the live post
    for marker in MARKERS:
        count, listed = search_results(client, marker)
        assert (count, leaked_markers(listed)) == (0, []), marker


def test_live_post_shows_its_live_revision_not_a_newer_draft(client, world):
    post = get_html(client, world.live_post.url)
    assert "Why people cry after sex" in post and "Postcoital dysphoria explained." in post
    assert "The live body text." in post and DRAFT_REVISION not in post.lower()
    for url in ("/blog/", "/", "/blog/feed/"):
        page = get_html(client, url)
        assert "Why people cry after sex" in page and DRAFT_REVISION not in page.lower(), url
    assert search_results(client, "live")[0] == 1


def test_citations_are_numbered_without_draft_sources(client, world):
    html = get_html(client, world.live_post.url)
    source_a, source_b = world.live_sources
    sources = re.search(r'<section class="sources".*?</section>', html, re.S).group(0)
    numbered = re.findall(r'<li id="source-(\d+)">(.*?)</li>', sources, re.S)
    assert [number for number, _ in numbered] == ["1", "2"]
    assert source_a.title in numbered[0][1] and source_b.title in numbered[1][1]

    def cites(statement):
        match = re.search(re.escape(statement) + r'(<sup class="cite">.*?</sup>)?</p>', html)
        assert match, statement
        return re.findall(r'href="#source-(\d+)"', match.group(1) or "")

    assert cites("46% of women have felt it.") == ["1"]  # the draft source cited first is skipped
    assert cites("It is not a disorder.") == ["2"]
    assert cites("Hormones play a part.") == []  # cites only the draft source
    assert cites("It is common.") == ["1"]
    assert "I cry." in html and 'aria-label="Source 3"' not in html
