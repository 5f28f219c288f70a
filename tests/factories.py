"""Builders for test content: real pages in a real tree, published through Wagtail's revisions."""

import io
import itertools
from decimal import Decimal

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from blog.models import BlogPostPage
from cms.models import ClaimVerification, Expert, Source
from cms.review.actions import record_verdict, sign_off
from cms.review.claims import claims_in
from shop.models import CollectionItem, CollectionPage, ProductImage, ProductPage

counter = itertools.count(1)


def make_image(title=None, size=(64, 48)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (120, 40, 80)).save(buffer, format="PNG")
    title = title or f"Image {next(counter)}"
    image = get_image_model()(title=title, description=f"{title} description")
    image.file = ImageFile(buffer, name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def publish(obj):
    obj.save_revision().publish()
    obj.refresh_from_db()
    return obj


def make_expert(live=True, photo=True, **fields):
    n = next(counter)
    defaults = {"honorific": "Dr.", "name": f"Expert {n}", "credentials": "MD", "slug": f"expert-{n}"}
    expert = Expert(**{**defaults, **fields})
    if photo:
        expert.photo = make_image(f"Expert photo {n}")
    expert.live = live
    expert.save()
    return publish(expert) if live else expert


def make_source(live=True, **fields):
    n = next(counter)
    source = Source(**{"title": f"Study {n}", "publisher": "Journal of Tests", "year": 2020, **fields})
    source.live = live
    source.save()
    return publish(source) if live else source


def add_page(parent, page, live=True):
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.live = False
        page.save_revision()
        page.save()
    return page.specific_class.objects.get(pk=page.pk)


def make_product(shop, live=True, **fields):
    n = next(counter)
    defaults = {
        "title": f"Product {n}",
        "slug": f"product-{n}",
        "sku": f"SKU-{n}",
        "price": Decimal("20.00"),
        "buy_url": f"https://shop.example.com/{n}",
    }
    product = ProductPage(**{**defaults, **fields})
    product.images = [ProductImage(image=make_image(f"Product image {n}"), sort_order=0)]
    return add_page(shop, product, live=live)


def make_collection(shop, products, live=True, **fields):
    n = next(counter)
    collection = CollectionPage(**{"title": f"Collection {n}", "slug": f"collection-{n}", **fields})
    # Set positions as the admin's form does; without them PostgreSQL returns items in any order.
    collection.items = [CollectionItem(product=product, sort_order=i) for i, product in enumerate(products)]
    return add_page(shop, collection, live=live)


def make_post(blog, body=None, shop_the_story=None, live=True, tags=(), **fields):
    n = next(counter)
    post = BlogPostPage(
        **{"title": f"Post {n}", "slug": f"post-{n}", "dek": f"Dek {n}", **fields},
        body=body if body is not None else [{"type": "paragraph", "value": f"<p>Body of post {n}</p>"}],
        shop_the_story=shop_the_story or [],
    )
    if "hero_image" not in fields:
        post.hero_image = make_image(f"Hero {n}")
    post.tags.add(*tags)
    return add_page(blog, post, live=live)


def review_medically(post, reviewer):
    """What a finished medical review leaves behind: every claim of the live revision verified by
    `reviewer`, and their sign-off of that revision."""
    for found in claims_in(post.body):
        record_verdict(post, post.live_revision, found, reviewer, ClaimVerification.Status.VERIFIED)
    return sign_off(post.live_revision, reviewer)


def expert_quote(expert, quote="An expert's words.", sources=()):
    return {"type": "expert_quote", "value": {"expert": expert.pk, "quote": quote, "sources": [s.pk for s in sources]}}


def statistic(sources, figure="41", statement="41% of people in a survey.", year=2019):
    return {
        "type": "statistic",
        "value": {
            "figure": figure,
            "unit": "percent",
            "statement": statement,
            "population": "adults",
            "sample_size": 100,
            "year": year,
            "sources": [s.pk for s in sources],
        },
    }


def claim(sources, statement="A medical statement."):
    return {"type": "claim", "value": {"statement": statement, "sources": [s.pk for s in sources]}}


def products_block(products, heading="Shop Now"):
    return {"type": "products", "value": {"heading": heading, "products": [p.pk for p in products]}}


def make_credential(expert, verified=True, expires_in_days=365, verified_days_ago=0, **fields):
    """A reviewer credential of `expert`, verified (by nobody in particular) `verified_days_ago` days ago."""
    from datetime import timedelta

    from django.utils import timezone

    from cms.models import ReviewerCredential

    n = next(counter)
    today = timezone.localdate()
    defaults = {
        "kind": ReviewerCredential.Kind.LICENCE,
        "title": "MD",
        "number": f"LIC-{n}",
        "issuing_body": "Medical Board of Testing",
        "country": "US",
        "expires_on": today + timedelta(days=expires_in_days),
    }
    credential = ReviewerCredential(expert=expert, **{**defaults, **fields})
    if verified:
        credential.verified_on = today - timedelta(days=verified_days_ago)
    credential.save()
    return credential


def make_help_resource(country="US", **fields):
    from cms.models import HelpResource

    n = next(counter)
    return HelpResource.objects.create(
        **{"country": country, "name": f"Helpline {n}", "phone": f"0800 {n:04d}", "hours": "24/7", **fields}
    )


def get_help(country="US"):
    return {"type": "get_help", "value": {"heading": "Get help now", "intro": "Talk to someone.", "country": country}}
