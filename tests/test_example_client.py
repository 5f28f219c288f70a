"""The example headless client renders the seed post from the API alone."""

import pytest
from bs4 import BeautifulSoup

from examples import headless_post

from .html import text_of

SEED_SLUG = "what-it-means-if-you-cry-after-sex"


@pytest.fixture
def demo(shared_demo):
    """The demo, loaded once for this module: every test here reads it."""
    return shared_demo


@pytest.fixture
def seed_post(client, demo):
    response = client.get(f"/api/v3/posts/by-slug/{SEED_SLUG}/")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def rendered(seed_post):
    return BeautifulSoup(headless_post.render_post(seed_post), "html.parser")


def test_it_shows_the_expert_quotes_with_names_and_credentials(rendered):
    captions = [text_of(caption) for caption in rendered.select(".expert-quote figcaption")]
    assert captions == [
        "Dr. Marie Tudor, Medical sexologist",
        "Dr. Tantry, Sex and relationship therapist (demo)",
        "Dr. Tantry, Sex and relationship therapist (demo)",
    ]


def test_every_citation_leads_to_a_source(rendered):
    targets = {link["href"].lstrip("#") for link in rendered.select("sup a")}
    sources = {item["id"] for item in rendered.select("ol li[id^=source-]")}
    assert targets and targets == sources


def test_it_shows_the_review_line_and_shop_the_story(rendered, seed_post):
    page = text_of(rendered)
    # The credentials the review names: the reviewer's verified ones, as the API gives them.
    credentials = seed_post["medical_review"]["reviewer"]["credentials"]
    assert credentials.startswith("MD")
    assert (
        rendered.select_one(".reviewed").get_text().startswith(f"Medically reviewed by Dr. Ana Reyes, {credentials} on")
    )
    assert "Shop The Story" in page and "The Sex Collection" in page
    assert "Bundle to Save" in page and "save 11.00, 18%" in page
