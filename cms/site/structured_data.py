"""schema.org JSON-LD for the public pages, built from the content, never typed by hand; every URL in it
is on the public address (cms/site/address.py), whatever host the request named.

Each page embeds one document: an `@graph` of nodes linked by `@id` (the page's URL, with `#article`,
`#product`, `#person`, `#breadcrumb`; the site's `#website` and `#organization` on the home page's URL), so a
search engine reads the post and the page around it, the reviewer and the organization as one set of facts.
What Google documents as required and recommended for each type is checked in
tests/cms/site/test_structured_data.py. The functions read pages by their fields (duck typing): the core imports
no app.
"""

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import strip_tags

from cms.site.address import absolute_url, page_url

# Social previews and JSON-LD: 1200 pixels wide, the size OpenGraph consumers ask for.
SOCIAL_IMAGE_FILTER = "width-1200|format-webp"
LOGO = ("img/logo.png", 512, 512)
CONTEXT = "https://schema.org"
SCHEMA_AVAILABILITY = {
    "in_stock": "https://schema.org/InStock",
    "low_stock": "https://schema.org/LimitedAvailability",
    "out_of_stock": "https://schema.org/OutOfStock",
    "preorder": "https://schema.org/PreOrder",
}
# A bundle is as available as its least available product.
AVAILABILITY_ORDER = ["out_of_stock", "preorder", "low_stock", "in_stock"]
# schema.org's type for each kind of source (cms.Source.Kind).
SOURCE_TYPES = {
    "journal_article": "ScholarlyArticle",
    "survey": "ScholarlyArticle",
    "review": "ScholarlyArticle",
    "guideline": "CreativeWork",
    "book": "Book",
    "website": "WebPage",
}


def social_image(image):
    """The rendition shared in og:image and JSON-LD, or None."""
    return image.get_rendition(SOCIAL_IMAGE_FILTER) if image else None


def absolute(url):
    """On the public address (cms/site/address.py), never the request's host; None when empty."""
    return absolute_url(url) or None


def compact(data):
    """The node without its empty properties: a missing value is left out, never written as null."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def document(*nodes):
    """One JSON-LD document: the page's nodes, and the site's WebSite and Organization they point at."""
    graph = [node for node in nodes if node]
    present = {node.get("@id") for node in graph}
    graph += [node for node in (website(), organization()) if node["@id"] not in present]
    return {"@context": CONTEXT, "@graph": graph}


def ref(node_id):
    return {"@id": node_id}


def home_url():
    return absolute("/")


def organization_id():
    return f"{home_url()}#organization"


def website_id():
    return f"{home_url()}#website"


def organization():
    logo_path, width, height = LOGO
    return {
        "@type": "Organization",
        "@id": organization_id(),
        "name": settings.WAGTAIL_SITE_NAME,
        "url": home_url(),
        "logo": {"@type": "ImageObject", "url": absolute(static(logo_path)), "width": width, "height": height},
    }


def website(description=""):
    search = absolute("/search/")
    return compact(
        {
            "@type": "WebSite",
            "@id": website_id(),
            "name": settings.WAGTAIL_SITE_NAME,
            "url": home_url(),
            "description": description,
            "publisher": ref(organization_id()),
            "inLanguage": "en",
            "potentialAction": {
                "@type": "SearchAction",
                "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
                "query-input": "required name=search_term_string",
            },
        }
    )


def image_object(rendition, caption=""):
    if rendition is None:
        return None
    return compact(
        {
            "@type": "ImageObject",
            "url": absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "caption": caption,
        }
    )


def breadcrumbs(url, trail):
    """A BreadcrumbList of (name, url) pairs from the home page down to this page."""
    items = [
        compact({"@type": "ListItem", "position": position, "name": name, "item": item_url})
        for position, (name, item_url) in enumerate(trail, start=1)
    ]
    return {"@type": "BreadcrumbList", "@id": f"{url}#breadcrumb", "itemListElement": items}


def routed_ancestors(page):
    """The pages from the site's root page down to `page`'s parent as routing left them on it (each page's
    `_cached_parent_obj`, set by Page.route and our own routes), or None where the chain stops short."""
    chain, parent = [], getattr(page, "_cached_parent_obj", None)
    while parent is not None and parent.depth > 1:
        chain.append(parent)
        if parent.depth == 2:
            return chain[::-1]
        parent = getattr(parent, "_cached_parent_obj", None)
    return [] if page.depth <= 2 else None


def page_trail(page, request=None):
    """(name, url) of each page from the site's root down to `page`, through its ancestors' titles: those
    routing read already where it did, else read here."""
    ancestors = routed_ancestors(page)
    if ancestors is None:
        ancestors = list(page.get_ancestors().filter(depth__gt=1).only("id", "title", "url_path", "depth", "path"))
    trail = [("Home" if ancestor.depth == 2 else ancestor.title, page_url(ancestor, request)) for ancestor in ancestors]
    trail.append(("Home" if page.depth == 2 else page.title, page_url(page, request)))
    return trail


def person(expert, with_credentials=False):
    url = absolute(expert.get_absolute_url())
    data = {
        "@type": "Person",
        "name": expert.full_name,
        "url": url,
        "honorificPrefix": expert.honorific,
        "honorificSuffix": expert.credentials,
        "jobTitle": expert.specialty,
        "affiliation": {"@type": "Organization", "name": expert.affiliation} if expert.affiliation else None,
    }
    if with_credentials and hasattr(expert, "credentials_json_ld"):
        # Only verified, unexpired credentials (cms/review/credentials.py) are ever stated, the letters after
        # the name included: a reviewer's typed credentials are not evidence.
        data["hasCredential"] = expert.credentials_json_ld()
        verified = dict.fromkeys(credential.title for credential in expert.verified_credentials())
        data["honorificSuffix"] = ", ".join(verified) or None
    return compact(data)


def citation(source):
    data = {
        "@type": SOURCE_TYPES.get(getattr(source, "kind", ""), "CreativeWork"),
        "name": source.title,
        "author": source.authors,
        "publisher": {"@type": "Organization", "name": source.publisher} if source.publisher else None,
        "datePublished": str(source.year) if source.year else None,
        "url": source.link,
    }
    identifiers = []
    if getattr(source, "doi", ""):
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": source.doi.strip()})
    if getattr(source, "pmid", ""):
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": source.pmid.strip()})
    data["identifier"] = identifiers
    return compact(data)


def iso(moment):
    """Seconds precision, with the offset: what schema.org and the HTML checker read alike."""
    return moment.replace(microsecond=0).isoformat() if moment else None


def blog_posting(page, request=None, image_url=None, image=None):
    """A post's JSON-LD: BlogPosting (the article) in a WebPage, a MedicalWebPage once it is medically
    reviewed (cms/review/status.py), with its breadcrumbs and publisher. `request` only lets Wagtail reuse its
    site lookup, it never names the host. `image` is the social rendition; `image_url` its URL alone."""
    url = page_url(page, request) or None
    authors = [person(expert) for expert in page.author_experts] or [ref(organization_id())]
    sources = [citation(source) for source in page.citations.sources]
    picture = image_object(image, getattr(page, "hero_image_alt", "")) if image is not None else None
    if picture is None and image_url:
        picture = absolute(image_url)
    article = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "headline": page.title[:110],
        "name": page.title,
        "description": page.dek or page.search_description,
        "url": url,
        "mainEntityOfPage": ref(url),
        "image": picture,
        "author": authors,
        "publisher": ref(organization_id()),
        "datePublished": iso(page.first_published_at),
        "dateModified": iso(page.last_published_at or page.first_published_at),
        "keywords": [tag.name for tag in page.tags.all()],
        "inLanguage": "en",
        "citation": sources,
    }
    disclosure = getattr(page, "commercial_disclosure", None)
    if disclosure:
        # A post that sells says so (issue 14): the derived disclosure, as the principle this article follows.
        article["publishingPrinciples"] = {"@type": "CreativeWork", "name": "Commercial disclosure", "text": disclosure}
    web_page = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": page.seo_title or page.title,
        "description": page.dek or page.search_description,
        "isPartOf": ref(website_id()),
        "breadcrumb": ref(f"{url}#breadcrumb"),
        "mainEntity": ref(f"{url}#article"),
        "primaryImageOfPage": picture if isinstance(picture, dict) else None,
        "inLanguage": "en",
    }
    review = page.medical_review
    if review:
        # A post whose every claim is verified is a medical page with its reviewer and review date.
        web_page["@type"] = "MedicalWebPage"
        web_page["reviewedBy"] = person(review.reviewer, with_credentials=True)
        web_page["lastReviewed"] = review.reviewed_at.date().isoformat()
        web_page["citation"] = sources
    return document(
        compact(article),
        compact(web_page),
        breadcrumbs(url, page_trail(page, request)),
    )


def offer_of(price, currency, availability, url, compare_at=None):
    offer = {
        "@type": "Offer",
        "price": str(price),
        "priceCurrency": currency,
        "availability": SCHEMA_AVAILABILITY.get(availability, availability),
        "itemCondition": "https://schema.org/NewCondition",
        "url": url,
        "seller": ref(organization_id()),
    }
    if compare_at is not None and compare_at > price:
        # Google's strikethrough price: the former or bought-separately price beside the sale price.
        offer["priceSpecification"] = {
            "@type": "UnitPriceSpecification",
            "priceType": "https://schema.org/StrikethroughPrice",
            "price": str(compare_at),
            "priceCurrency": currency,
        }
    return compact(offer)


def product(page, request=None, image_url=None, images=()):
    """A product page's JSON-LD: the Product and its Offer, its breadcrumbs and the seller.
    `images` are social renditions (the gallery's); `image_url` alone also serves."""
    url = page_url(page, request) or None
    pictures = [absolute(rendition.url) for rendition in images] or ([absolute(image_url)] if image_url else [])
    node = {
        "@type": "Product",
        "@id": f"{url}#product",
        "name": page.title,
        "sku": page.sku,
        "description": page.summary or strip_tags(page.description or "").strip() or page.search_description,
        "url": url,
        "image": pictures[0] if len(pictures) == 1 else pictures,
        "brand": {"@type": "Brand", "name": settings.WAGTAIL_SITE_NAME},
        "offers": offer_of(page.price, page.currency, page.availability, page.buy_url or url, page.compare_at_price),
    }
    return document(compact(node), breadcrumbs(url, page_trail(page, request)))


def least_available(products):
    found = [product.availability for product in products]
    for availability in AVAILABILITY_ORDER:
        if availability in found:
            return availability
    return "out_of_stock"


def collection(page, request=None, image_url=None):
    """A collection's JSON-LD: its products as an ItemList; a bundle is also a Product whose Offer is the
    bundle price, struck through by what its products cost bought separately, with the products it includes."""
    url = page_url(page, request) or None
    products = page.products
    items = [
        {"@type": "ListItem", "position": position, "url": page_url(item, request), "name": item.title}
        for position, item in enumerate(products, start=1)
    ]
    skus = [item.sku for item in products if getattr(item, "sku", "")]
    listing = compact(
        {
            "@type": "CollectionPage",
            "@id": url,
            "url": url,
            "name": page.seo_title or page.title,
            "description": page.intro or page.search_description,
            "isPartOf": ref(website_id()),
            "breadcrumb": ref(f"{url}#breadcrumb"),
            "mainEntity": {"@type": "ItemList", "numberOfItems": len(items), "itemListElement": items},
        }
    )
    bundle = None
    pricing = page.pricing if page.is_bundle else None
    if pricing:
        listing["mainEntity"] = ref(f"{url}#product")
        offer = offer_of(
            pricing.bundle_price,
            pricing.currency,
            least_available(products),
            getattr(page, "bundle_buy_url", "") or url,
            pricing.items_total,
        )
        offer["includesObject"] = [
            {
                "@type": "TypeAndQuantityNode",
                "amountOfThisGood": 1,
                "typeOfGood": compact(
                    {"@type": "Product", "name": item.title, "url": page_url(item, request), "sku": item.sku}
                ),
            }
            for item in products
        ]
        bundle = compact(
            {
                "@type": "Product",
                "@id": f"{url}#product",
                "name": page.title,
                # A bundle has no SKU of its own: it is its products', together.
                "sku": "+".join(skus),
                "description": page.intro or page.search_description,
                "url": url,
                "image": absolute(image_url) if image_url else None,
                "brand": {"@type": "Brand", "name": settings.WAGTAIL_SITE_NAME},
                "offers": offer,
            }
        )
    return document(listing, bundle, breadcrumbs(url, page_trail(page, request)))


def expert_profile(expert, image_url=None):
    """An expert's page: a ProfilePage whose main entity is the Person."""
    url = absolute(expert.get_absolute_url())
    who = person(expert, with_credentials=True)
    who["@id"] = f"{url}#person"
    who["image"] = absolute(image_url) if image_url else None
    who["description"] = " ".join(strip_tags(expert.bio or "").split())[:300]
    profile = {
        "@type": "ProfilePage",
        "@id": url,
        "url": url,
        "name": expert.name_with_credentials,
        "mainEntity": compact(who),
        "dateModified": iso(getattr(expert, "last_published_at", None)),
        "isPartOf": ref(website_id()),
        "breadcrumb": ref(f"{url}#breadcrumb"),
    }
    trail = [("Home", home_url()), (expert.full_name, url)]
    return document(compact(profile), breadcrumbs(url, trail))


def home_page(page, request=None, image_url=None):
    """The home page: the WebSite (with its search) and the Organization behind it."""
    url = page_url(page, request) or home_url()
    description = getattr(page, "search_description", "") or getattr(page, "intro", "")
    web_page = compact(
        {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": page.seo_title or page.title,
            "description": description,
            "isPartOf": ref(website_id()),
            "about": ref(organization_id()),
            "primaryImageOfPage": {"@type": "ImageObject", "url": absolute(image_url)} if image_url else None,
        }
    )
    return document(website(description), organization(), web_page)


def for_page(page, request=None, collection_page=None, image_url=None):
    """The JSON-LD of a page a template did not choose one for, by what the page is (its fields): a bundle or
    collection, a product, the home page, an index with a feed (the blog) or another index. None for others."""
    kind = type(page)  # asked of the class: on the page, hasattr would compute the properties it looks for
    if hasattr(kind, "is_bundle") and hasattr(kind, "pricing"):
        return collection(collection_page or page, request, image_url)
    if hasattr(kind, "sku") and hasattr(kind, "price"):
        return product(page, request, image_url)
    if page.depth == 2:
        return home_page(page, request, image_url)
    if hasattr(kind, "reverse_subpage") and hasattr(kind, "posts"):
        return listing_page(page, request, "Blog")
    if page.depth == 3:
        return listing_page(page, request)
    return None


def listing_page(page, request=None, schema_type="CollectionPage"):
    """An index page (the blog, the shop): a CollectionPage (or Blog) with its breadcrumbs."""
    url = page_url(page, request) or None
    node = compact(
        {
            "@type": schema_type,
            "@id": url,
            "url": url,
            "name": page.seo_title or page.title,
            "description": getattr(page, "intro", "") or page.search_description,
            "isPartOf": ref(website_id()),
            "publisher": ref(organization_id()),
            "breadcrumb": ref(f"{url}#breadcrumb"),
        }
    )
    return document(node, breadcrumbs(url, page_trail(page, request)))
