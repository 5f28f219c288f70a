"""Where live posts show products: one ShopPlacement row per product, module and post, from the live content.

A post's shop modules are its "Shop Now" products blocks (each named by its heading, slugified, which is also
the `utm_content` of its links) and its Shop The Story section ("shop-the-story"); a collection or bundle
in Shop The Story places each of its products (while the collection is live). The rows are rebuilt when a page
is published, from the raw StreamField data (the block types of shop/blocks.py), so the shop never imports the
blog, and dropped when it is unpublished.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from wagtail.models import Page, ReferenceIndex
from wagtail.signals import page_published, page_unpublished

from .models import CollectionItem, CollectionPage, ProductPage, ShopPlacement

SHOP_THE_STORY = "shop-the-story"
SHOP_THE_STORY_LABEL = "Shop The Story"


def products_module(heading):
    """The module key of a products block: its heading as a slug ("Shop Now" → "shop-now")."""
    return slugify(heading or "") or "products"


def shop_modules(page):
    """(module, label, kind, id) for each product or collection the page's live content shows."""
    body = getattr(page, "body", None)
    for block in body.raw_data if body is not None else []:
        if block.get("type") == "products":
            value = block.get("value") or {}
            heading = value.get("heading") or ""
            for product_id in value.get("products") or []:
                if isinstance(product_id, int):
                    yield products_module(heading), heading or "Products", "product", product_id
    shop_the_story = getattr(page, "shop_the_story", None)
    for block in shop_the_story.raw_data if shop_the_story is not None else []:
        if block.get("type") in ("product", "collection") and isinstance(block.get("value"), int):
            yield SHOP_THE_STORY, SHOP_THE_STORY_LABEL, block["type"], block["value"]


def rebuild(page):
    """Replace the page's placements with those of its live content (none when it is not live)."""
    modules = list(shop_modules(page)) if page.live else []
    product_ids = set(
        ProductPage.objects.filter(pk__in=[m[3] for m in modules if m[2] == "product"]).values_list("pk", flat=True)
    )
    collection_products = {}
    collection_ids = [m[3] for m in modules if m[2] == "collection"]
    for item in CollectionItem.objects.filter(collection_id__in=collection_ids, collection__live=True):
        collection_products.setdefault(item.collection_id, []).append(item.product_id)
    rows, seen = [], set()
    for module, label, kind, target_id in modules:
        pairs = (
            [(target_id, None)]
            if kind == "product"
            else [(p, target_id) for p in collection_products.get(target_id, [])]
        )
        for product_id, collection_id in pairs:
            if (kind == "product" and product_id not in product_ids) or (module, product_id, collection_id) in seen:
                continue
            seen.add((module, product_id, collection_id))
            rows.append(
                ShopPlacement(
                    post_id=page.pk,
                    module=module,
                    module_label=label,
                    product_id=product_id,
                    collection_id=collection_id,
                )
            )
    with transaction.atomic():
        ShopPlacement.objects.filter(post_id=page.pk).delete()
        ShopPlacement.objects.bulk_create(rows)


def rebuild_for_collection(collection):
    """A collection was published: rebuild the live pages that name it (its products may have changed)."""
    references = ReferenceIndex.get_references_to(collection).filter(base_content_type__model="page")
    post_ids = {int(object_id) for object_id in references.values_list("object_id", flat=True)}
    for page in Page.objects.live().filter(pk__in=post_ids).specific():
        rebuild(page)


def rebuild_all():
    """Every page with shop modules, from scratch (after a deploy that adds this index, or by hand)."""
    ShopPlacement.objects.all().delete()
    for page in Page.objects.live().specific():
        if hasattr(page, "shop_the_story") or hasattr(page, "body"):
            rebuild(page)


def build_if_missing(**kwargs):
    if not ShopPlacement.objects.exists() and Page.objects.live().filter(depth__gt=2).exists():
        rebuild_all()


def on_published(sender, instance, **kwargs):
    if isinstance(instance, CollectionPage):
        rebuild_for_collection(instance)
    elif hasattr(instance, "shop_the_story"):
        rebuild(instance)


def on_unpublished(sender, instance, **kwargs):
    """Drop what the page placed, or what went through it, without reading its content.

    Wagtail also sends this just before it deletes a live page, with the rows about it already gathered for
    deletion; a row written now would outlive the page.
    """

    ShopPlacement.objects.filter(Q(post_id=instance.pk) | Q(collection_id=instance.pk)).delete()


def connect():
    page_published.connect(on_published, dispatch_uid="verity-shop-placements-published")
    page_unpublished.connect(on_unpublished, dispatch_uid="verity-shop-placements-unpublished")
