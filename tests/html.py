"""Reading rendered pages in tests: parsed HTML, visible text, JSON-LD and the page's landmarks."""

import json

from bs4 import BeautifulSoup


def get_soup(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return BeautifulSoup(response.content, "html.parser")


def text_of(element):
    return " ".join(element.get_text(" ").split())


def json_ld_nodes(soup):
    """Every JSON-LD node of the page: its documents, and the nodes of their @graph."""
    for script in soup.find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        yield from data.get("@graph", [data])


def json_ld(soup, schema_type):
    found = list(json_ld_nodes(soup))
    matching = [data for data in found if data.get("@type") == schema_type]
    assert len(matching) == 1, f"expected one {schema_type} in {found}"
    return matching[0]


def assert_landmarks(soup):
    assert len(soup.find_all("h1")) == 1, [h1.get_text() for h1 in soup.find_all("h1")]
    for landmark in ("main", "header", "footer", "nav"):
        assert soup.find(landmark) is not None, landmark


def assert_responsive_webp(img):
    candidates = [candidate.split()[0] for candidate in img["srcset"].split(",")]
    assert len(candidates) == 2 and all(url.endswith(".webp") for url in candidates), img
    assert img.has_attr("alt"), img
