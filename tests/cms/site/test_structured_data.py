"""Every public page's JSON-LD, read as a search engine reads it, against the properties Google documents as
required and recommended for each type (Search Central's structured data guides: Article, Breadcrumb,
Organization, Site names, Product snippets and merchant listings, Profile page), plus schema.org's own for
the medical page. The tables below are written from those guides; a recommended property the content model
does not record (a GTIN, reviews, shipping) is named with the reason, never filled with made-up data.
"""

import json
import re
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders

from blog.models import BlogPostPage
from cms.models import Expert, Source
from shop.models import CollectionPage, ProductPage

# type: (required, recommended)
GOOGLE = {
    "BlogPosting": ((), ("author", "dateModified", "datePublished", "headline", "image")),
    "Person": (("name",), ("url",)),
    "Organization": (("name",), ("url", "logo")),
    "WebSite": (("name", "url"), ()),
    "BreadcrumbList": (("itemListElement",), ()),
    # A breadcrumb's ListItem names its page as `item`; an ItemList's (a collection's products) as `url`.
    "ListItem": (("position", "name"), ()),
    "Product": (("name", "image", "offers"), ("description", "brand", "sku")),
    "Offer": (("price", "priceCurrency"), ("availability", "itemCondition", "url")),
    "UnitPriceSpecification": (("price", "priceCurrency", "priceType"), ()),
    "ProfilePage": (("mainEntity",), ("dateModified",)),
    # schema.org's MedicalWebPage (no Google rich result): who reviewed it, when, and what it cites.
    "MedicalWebPage": (("url", "name", "reviewedBy", "lastReviewed"), ("citation", "mainEntity", "breadcrumb")),
    "ImageObject": (("url",), ()),
}
# Recommended by Google, not recorded by the content model: left out rather than invented.
NOT_RECORDED = {
    "Product": {"gtin", "mpn", "aggregateRating", "review"},
    "Offer": {"shippingDetails", "hasMerchantReturnPolicy", "priceValidUntil"},
    "WebSite": {"alternateName"},
    "ProfilePage": {"dateCreated"},
}
# A year alone (a study's), a date, or a moment to the second with its offset.
ISO_DATE = re.compile(r"^\d{4}(-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?)?$")
SCHEMA_AVAILABILITY = re.compile(r"^https://schema\.org/(InStock|LimitedAvailability|OutOfStock|PreOrder)$")


@pytest.fixture
def demo(shared_demo):
    bundle = CollectionPage.objects.live().exclude(bundle_price=None).first()
    collection = CollectionPage.objects.live().filter(bundle_price=None).first()
    return {
        "home": "/",
        "blog": BlogPostPage.objects.live().first().get_parent().url,
        "post": BlogPostPage.objects.live().get(slug="what-it-means-if-you-cry-after-sex").url,
        "shop": ProductPage.objects.live().first().get_parent().url,
        "product": ProductPage.objects.live().filter(compare_at_price__isnull=False).first().url,
        "collection": collection.url,
        "bundle": bundle.url,
        "expert": Expert.objects.live().exclude(user=None).first().get_absolute_url(),
    }


def documents(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    soup = BeautifulSoup(response.content, "html.parser")
    return [json.loads(script.string) for script in soup.find_all("script", type="application/ld+json")]


def graph_of(client, url):
    """The page's nodes by @type (one document, one @graph), and by @id."""
    found = documents(client, url)
    assert len(found) == 1, f"{url}: one JSON-LD document, not {len(found)}"
    assert found[0]["@context"] == "https://schema.org"
    nodes = found[0]["@graph"]
    by_id = {node["@id"]: node for node in nodes if "@id" in node}
    by_type = {}
    for node in nodes:
        by_type.setdefault(node["@type"], []).append(node)
    return by_type, by_id


def walk(node, path="$"):
    """Every typed node inside `node`, with where it sits."""
    if isinstance(node, dict):
        if "@type" in node:
            yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}[{index}]")


def problems_of(node, where, by_id):
    problems = []
    for path, child in walk(node, where):
        kind = child["@type"]
        if kind == "ListItem" and not (child.get("item") or child.get("url")):
            problems.append(f"{path} (ListItem): neither item nor url")
        if kind == "Product" and ".typeOfGood" in path:
            continue  # a bundle's contents, named: each is a Product node of its own page
        required, recommended = GOOGLE.get(kind, ((), ()))
        if kind == "Organization" and "@id" not in child:
            # Another's organization named in passing (an affiliation, a journal): Google asks only its name.
            recommended = ()
        for name in required:
            if child.get(name) in (None, "", []):
                problems.append(f"{path} ({kind}): required {name} missing")
        for name in recommended:
            if name not in NOT_RECORDED.get(kind, set()) and child.get(name) in (None, "", []):
                # The last breadcrumb may leave out its item (Google); ours names it anyway.
                problems.append(f"{path} ({kind}): recommended {name} missing")
        for key, value in child.items():
            if key in ("url", "item", "logo") and isinstance(value, str) and not value.startswith("http"):
                problems.append(f"{path}.{key}: not an absolute URL: {value}")
            if key in ("datePublished", "dateModified", "lastReviewed") and not ISO_DATE.match(str(value)):
                problems.append(f"{path}.{key}: not ISO 8601 to the second: {value}")
    for path, child in walk(node, where):
        for key, value in child.items():
            if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] not in by_id:
                problems.append(f"{path}.{key}: @id {value['@id']} is not in the graph")
    return problems


def assert_valid(client, url):
    by_type, by_id = graph_of(client, url)
    problems = [problem for nodes in by_type.values() for node in nodes for problem in problems_of(node, url, by_id)]
    assert problems == [], "\n".join(problems)
    return by_type, by_id


def test_every_page_types_json_ld_has_googles_required_and_recommended_properties(client, demo):
    expected = {
        "home": {"WebSite", "Organization"},
        "blog": {"Blog", "BreadcrumbList", "Organization"},
        "post": {"BlogPosting", "MedicalWebPage", "BreadcrumbList", "Organization"},
        "shop": {"CollectionPage", "BreadcrumbList", "Organization"},
        "product": {"Product", "BreadcrumbList", "Organization"},
        "collection": {"CollectionPage", "BreadcrumbList", "Organization"},
        "bundle": {"CollectionPage", "Product", "BreadcrumbList", "Organization"},
        "expert": {"ProfilePage", "BreadcrumbList", "Organization"},
    }
    for name, url in demo.items():
        by_type, _by_id = assert_valid(client, url)
        assert expected[name] <= set(by_type), (name, set(by_type))


def test_the_post_is_a_blog_posting_inside_its_medical_web_page(client, demo):
    # The study of men has a DOI (the one its journal gives it): cited by it once the source records it.
    Source.objects.filter(title__startswith="Postcoital Dysphoria: Prevalence").update(
        doi="10.1080/0092623X.2018.1488326"
    )
    by_type, by_id = assert_valid(client, demo["post"])
    article, page = by_type["BlogPosting"][0], by_type["MedicalWebPage"][0]
    assert article["mainEntityOfPage"] == {"@id": page["@id"]} and page["mainEntity"] == {"@id": article["@id"]}
    assert by_id[page["breadcrumb"]["@id"]]["@type"] == "BreadcrumbList"
    assert article["publisher"]["@id"] in by_id
    # Named authors are Persons with their profile's URL; a post by the editors credits the Organization.
    for author in article["author"]:
        assert author == {"@id": article["publisher"]["@id"]} or (
            author["@type"] == "Person" and author["url"].startswith("http")
        ), author
    reviewer = page["reviewedBy"]
    assert reviewer["@type"] == "Person" and reviewer["url"].endswith("/experts/ana-reyes/")
    # The reviewer's letters and credentials are the verified records', never the typed text.
    reviewer_profile = Expert.objects.get(slug="ana-reyes")
    verified = [credential.title for credential in reviewer_profile.verified_credentials()]
    assert verified and reviewer["honorificSuffix"] == ", ".join(dict.fromkeys(verified))
    assert [credential["name"] for credential in reviewer["hasCredential"]] == verified
    # The seed post sells (Shop The Story): its derived disclosure is in its JSON-LD too.
    post = BlogPostPage.objects.live().get(slug="what-it-means-if-you-cry-after-sex")
    assert post.commercial_disclosure
    assert article["publishingPrinciples"]["text"] == post.commercial_disclosure
    assert date.fromisoformat(page["lastReviewed"])
    assert datetime.fromisoformat(article["datePublished"]).microsecond == 0
    assert article["image"]["width"] == 1200 and article["image"]["height"]
    # A source with a DOI is cited by it, as an identifier and as its doi.org link.
    with_doi = [entry for entry in article["citation"] if entry.get("identifier")]
    assert with_doi, article["citation"]
    for entry in with_doi:
        doi = next(i["value"] for i in entry["identifier"] if i["propertyID"] == "DOI")
        assert entry["url"] == f"https://doi.org/{doi}"
    assert all(entry.get("url") or entry.get("identifier") or entry["name"] for entry in article["citation"])
    crumbs = by_id[page["breadcrumb"]["@id"]]["itemListElement"]
    assert [crumb["position"] for crumb in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == page["url"]


def test_an_unreviewed_post_is_a_plain_web_page(client, demo):
    post = BlogPostPage.objects.live().get(slug="what-it-means-if-you-cry-after-sex")
    by_type, _ = graph_of(client, demo["post"])
    assert "MedicalWebPage" in by_type
    # The demo's other posts carry no medical sign-off of their own.
    unreviewed = [other for other in BlogPostPage.objects.live().exclude(pk=post.pk) if not other.medical_review]
    assert unreviewed
    by_type, _ = assert_valid(client, unreviewed[0].url)
    assert "MedicalWebPage" not in by_type and "WebPage" in by_type


def test_a_product_offers_its_price_availability_and_struck_through_price(client, demo):
    product = ProductPage.objects.live().filter(compare_at_price__isnull=False).first()
    by_type, _ = assert_valid(client, demo["product"])
    (node,) = by_type["Product"]
    offer = node["offers"]
    assert offer["price"] == str(product.price) and offer["priceCurrency"] == product.currency
    assert SCHEMA_AVAILABILITY.match(offer["availability"])
    assert offer["priceSpecification"] == {
        "@type": "UnitPriceSpecification",
        "priceType": "https://schema.org/StrikethroughPrice",
        "price": str(product.compare_at_price),
        "priceCurrency": product.currency,
    }


def test_a_bundle_is_a_product_at_its_bundle_price_with_what_it_includes(client, demo):
    bundle = CollectionPage.objects.live().exclude(bundle_price=None).first()
    pricing = bundle.pricing
    by_type, by_id = assert_valid(client, demo["bundle"])
    (node,) = by_type["Product"]
    offer = node["offers"]
    assert offer["price"] == str(pricing.bundle_price) and offer["priceCurrency"] == pricing.currency
    assert offer["priceSpecification"]["price"] == str(pricing.items_total)
    assert [item["typeOfGood"]["name"] for item in offer["includesObject"]] == [p.title for p in bundle.products]
    assert by_type["CollectionPage"][0]["mainEntity"] == {"@id": node["@id"]}


def test_the_home_page_names_the_website_and_the_organization_with_its_logo(client, demo):
    by_type, _ = assert_valid(client, "/")
    (website,) = by_type["WebSite"]
    (organization,) = by_type["Organization"]
    assert website["publisher"] == {"@id": organization["@id"]}
    assert "{search_term_string}" in website["potentialAction"]["target"]["urlTemplate"]
    logo = organization["logo"]
    assert logo["width"] >= 112 and logo["height"] >= 112  # Google's least logo size
    assert logo["url"].startswith("http://testserver/static/") and finders.find("img/logo.png")


def test_an_expert_is_a_profile_page_of_a_person(client, demo):
    expert = Expert.objects.live().exclude(user=None).first()
    by_type, _ = assert_valid(client, demo["expert"])
    (profile,) = by_type["ProfilePage"]
    person = profile["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == expert.full_name
    assert person["url"] == profile["url"] and person.get("jobTitle") == expert.specialty
    crumbs = by_type["BreadcrumbList"][0]["itemListElement"]
    assert crumbs[-1]["name"] == expert.full_name


def test_search_and_404_pages_carry_no_structured_data(client, demo):
    assert documents(client, "/search/?q=sex") == []
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert BeautifulSoup(response.content, "html.parser").find("script", type="application/ld+json") is None
