"""Commercial content kept apart from medical content, and safety content checked at submit, through the
admin's own add and edit views: a product module beside a claim is refused at save; a post with an unvetted
product, or tagged with a sensitive topic without a "get help" block, cannot be submitted (a draft still
saves), and the refusal names what is missing; a post that sells shows the derived disclosure line."""

import html
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from blog.models import BlogPostPage
from cms.models import EditorialStandardsSettings

from .. import factories
from ..cms.workflow_helpers import claim_block, list_data, make_team, post_form
from ..html import get_soup


@pytest.fixture
def team(db):
    return make_team()


def vetted(product, user):
    product.vetted_by, product.vetted_on = user, timezone.localdate()
    product.save_revision().publish()
    return product


def products_block(products):
    return ("products", {"heading": "Shop Now", "products": list_data([p.pk for p in products])}, str(uuid.uuid4()))


def paragraph_block(text="Between"):
    """A heading: the admin form posts a paragraph as Draftail's JSON, a heading as plain fields."""
    return ("heading", {"text": text, "level": "h2"}, str(uuid.uuid4()))


def get_help_block(country="US"):
    return ("get_help", {"heading": "Get help now", "intro": "Talk to someone.", "country": country}, str(uuid.uuid4()))


def add_post(client, user, blog, blocks, action, tags=""):
    client.force_login(user)
    data = post_form("Tears after sex", "tears-after-sex", blocks, action) | {"tags": tags}
    return client.post(reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk]), data)


def page_text(response):
    """Everything the re-rendered form shows, the StreamField's errors (handed to its JavaScript) included."""
    return " ".join(html.unescape(response.content.decode()).split())


def submitted():
    post = BlogPostPage.objects.filter(slug="tears-after-sex").first()
    return post is not None and WorkflowState.objects.for_instance(post).exists()


@pytest.mark.parametrize("action", ["action-submit", None])
@pytest.mark.parametrize("order", ["before", "after"])
def test_a_product_module_next_to_a_claim_is_refused_at_save(client, blog, shop, team, action, order):
    product = vetted(factories.make_product(shop), team["shop"])
    claim = claim_block("Crying after sex is common.", [factories.make_source()])
    blocks = [products_block([product]), claim] if order == "before" else [claim, products_block([product])]
    response = add_post(client, team["editor"], blog, blocks, action)
    assert response.status_code == 200
    assert "A product module may not sit directly next to a claim" in page_text(response)
    assert not BlogPostPage.objects.filter(slug="tears-after-sex").exists()

    # Kept apart by a paragraph, it saves.
    blocks = [claim, paragraph_block(), products_block([product])]
    assert add_post(client, team["editor"], blog, blocks, action).status_code == 302


def test_a_post_with_an_unvetted_product_saves_as_a_draft_but_is_not_submitted(client, blog, shop, team):
    product = factories.make_product(shop, title="Unchecked Oil")
    blocks = [paragraph_block(), products_block([product])]
    assert add_post(client, team["editor"], blog, blocks, None).status_code == 302  # Save draft
    post = BlogPostPage.objects.get(slug="tears-after-sex")

    client.force_login(team["editor"])
    edit = reverse("wagtailadmin_pages:edit", args=[post.pk])
    body = [paragraph_block(), products_block([product])]
    response = client.post(edit, post_form(post.title, post.slug, body, "action-submit"))
    assert response.status_code == 200
    assert "nobody has vetted yet: “Unchecked Oil”" in page_text(response)
    assert not submitted()

    vetted(product, team["shop"])
    response = client.post(edit, post_form(post.title, post.slug, body, "action-submit"))
    assert response.status_code == 302 and submitted()


def test_an_unvetted_product_in_shop_the_story_or_a_bundle_is_named_too(client, blog, shop, team):
    loose = factories.make_product(shop, title="Loose Robe")
    in_bundle = factories.make_product(shop, title="Bundled Soak")
    bundle = factories.make_collection(shop, [in_bundle], title="Aftercare Bundle")
    client.force_login(team["editor"])
    data = post_form("Tears after sex", "tears-after-sex", [paragraph_block()], "action-submit")
    data |= {
        "shop_the_story-count": "2",
        "shop_the_story-0-type": "product",
        "shop_the_story-0-value": str(loose.pk),
        "shop_the_story-0-deleted": "",
        "shop_the_story-0-order": "0",
        "shop_the_story-0-id": str(uuid.uuid4()),
        "shop_the_story-1-type": "collection",
        "shop_the_story-1-value": str(bundle.pk),
        "shop_the_story-1-deleted": "",
        "shop_the_story-1-order": "1",
        "shop_the_story-1-id": str(uuid.uuid4()),
    }
    response = client.post(reverse("wagtailadmin_pages:add", args=["blog", "blogpostpage", blog.pk]), data)
    text = page_text(response)
    assert (
        "“Loose Robe” (in Shop The Story)" in text and "“Bundled Soak” (in the collection “Aftercare Bundle”)" in text
    )
    assert not submitted()


@pytest.mark.parametrize("tags", ['"Emotional health"', "sex, emotional health"])
def test_a_sensitive_post_needs_a_get_help_block_to_be_submitted(client, blog, team, tags):
    response = add_post(client, team["editor"], blog, [paragraph_block()], "action-submit", tags=tags)
    assert response.status_code == 200
    text = page_text(response)
    assert "need a “Get help” block" in text and "emotional health”" in text.lower()
    assert not submitted()

    # A draft still saves; with the block, it is submitted.
    assert add_post(client, team["editor"], blog, [paragraph_block()], None, tags=tags).status_code == 302
    post = BlogPostPage.objects.get(slug="tears-after-sex")
    client.force_login(team["editor"])
    data = post_form(post.title, post.slug, [paragraph_block(), get_help_block()], "action-submit") | {"tags": tags}
    response = client.post(reverse("wagtailadmin_pages:edit", args=[post.pk]), data)
    assert response.status_code == 302 and submitted()


def test_which_topics_are_sensitive_is_a_setting(client, blog, team):
    standards = EditorialStandardsSettings.load()
    standards.sensitive_topics = "Grief"
    standards.save()
    assert (
        add_post(
            client, team["editor"], blog, [paragraph_block()], "action-submit", tags="Emotional health"
        ).status_code
        == 302
    )
    assert submitted()


def test_a_post_that_sells_shows_the_disclosure_above_its_first_product_module(client, blog, shop, team):
    product = vetted(factories.make_product(shop), team["shop"])
    selling = factories.make_post(
        blog,
        body=[
            {"type": "paragraph", "value": "<p>Intro.</p>"},
            factories.products_block([product]),
            {"type": "paragraph", "value": "<p>More.</p>"},
            factories.products_block([product]),
        ],
    )
    soup = get_soup(client, selling.url)
    [disclosure] = soup.select(".commercial-disclosure")
    assert EditorialStandardsSettings.load().commercial_disclosure in disclosure.get_text()
    following = disclosure.find_next_sibling()
    assert following is not None and "products" in " ".join(following.get("class", [])) or following.name

    standards = EditorialStandardsSettings.load()
    standards.commercial_disclosure = "We sell these."
    standards.save()
    assert "We sell these." in get_soup(client, selling.url).select_one(".commercial-disclosure").get_text()
    assert BlogPostPage.objects.get(pk=selling.pk).commercial_disclosure == "We sell these."

    # Shop The Story alone: above that module. Nothing sold: no line.
    story = factories.make_post(blog, shop_the_story=[{"type": "product", "value": product.pk}])
    soup = get_soup(client, story.url)
    assert soup.select_one(".shop-the-story .commercial-disclosure") is not None
    plain = factories.make_post(blog)
    assert not get_soup(client, plain.url).select(".commercial-disclosure")
    assert BlogPostPage.objects.get(pk=plain.pk).commercial_disclosure is None


def test_the_get_help_block_lists_the_resources_of_its_country(client, blog):
    factories.make_help_resource("US", name="988 Lifeline", phone="988")
    factories.make_help_resource("GB", name="Samaritans", phone="116 123")
    post = factories.make_post(
        blog, body=[factories.get_help("gb"), {"type": "not_medical_advice", "value": {"text": ""}}]
    )
    soup = get_soup(client, post.url)
    block = soup.select_one(".safety--get-help")
    assert "Samaritans" in block.get_text() and "988" not in block.get_text()
    assert "not medical advice" in soup.select_one(".safety--not-medical-advice").get_text()
