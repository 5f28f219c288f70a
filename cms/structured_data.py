"""schema.org JSON-LD for the public pages, built from the content, never typed by hand; every URL in it
is on the public address (cms/site_address.py), whatever host the request named."""

from django.conf import settings

from .site_address import absolute_url, page_url

# Social previews and JSON-LD: 1200 pixels wide, the size OpenGraph consumers ask for.
SOCIAL_IMAGE_FILTER = "width-1200|format-webp"


def social_image(image):
    """The rendition shared in og:image and JSON-LD, or None."""
    return image.get_rendition(SOCIAL_IMAGE_FILTER) if image else None


def absolute(url):
    """On the public address (cms/site_address.py), never the request's host; None when empty."""
    return absolute_url(url) or None


def person(expert):
    data = {"@type": "Person", "name": expert.full_name, "url": absolute(expert.get_absolute_url())}
    if expert.credentials:
        data["honorificSuffix"] = expert.credentials
    if expert.specialty:
        data["jobTitle"] = expert.specialty
    if expert.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": expert.affiliation}
    return data


def organization():
    return {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME}


def citation(source):
    data = {"@type": "CreativeWork", "name": source.title}
    if source.authors:
        data["author"] = source.authors
    if source.publisher:
        data["publisher"] = source.publisher
    if source.year:
        data["datePublished"] = str(source.year)
    if source.link:
        data["url"] = source.link
    return data


def blog_posting(page, request=None, image_url=None):
    """A post's JSON-LD; `request` only lets Wagtail reuse its site lookup, it never names the host."""
    authors = [person(expert) for expert in page.author_experts] or [organization()]
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": page.title,
        "description": page.dek or page.search_description,
        "url": page_url(page, request) or None,
        "mainEntityOfPage": page_url(page, request) or None,
        "author": authors,
        "publisher": organization(),
        "datePublished": page.first_published_at.isoformat() if page.first_published_at else None,
        "dateModified": page.last_published_at.isoformat() if page.last_published_at else None,
        "keywords": [tag.name for tag in page.tags.all()],
        "citation": [citation(source) for source in page.citations.sources],
    }
    review = page.medical_review
    if review:
        # A post whose every claim is verified is a medical page with its reviewer and review date.
        data["@type"] = "MedicalWebPage"
        data["reviewedBy"] = person(review.reviewer)
        data["lastReviewed"] = review.reviewed_at.date().isoformat()
    if image_url:
        data["image"] = absolute(image_url)
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def product(page, request=None, image_url=None):
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": page.title,
        "sku": page.sku,
        "description": page.summary or page.search_description,
        "url": page_url(page, request) or None,
        "brand": organization(),
        "offers": {
            "@type": "Offer",
            "price": str(page.price),
            "priceCurrency": page.currency,
            "availability": page.schema_availability,
            "url": page.buy_url,
        },
    }
    if image_url:
        data["image"] = absolute(image_url)
    return {key: value for key, value in data.items() if value not in (None, "", [])}
