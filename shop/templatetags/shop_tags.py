"""What the shop modules of a post show, and the tracked links they show it with (shop/stock.py, shop/clicks.py)."""

from django import template

from shop.clicks import tracked_url
from shop.placements import SHOP_THE_STORY, products_module
from shop.stock import shown_product

register = template.Library()


@register.filter
def shown_products(products):
    """The products a "Shop Now" row shows: unavailable ones hidden or replaced by their fallback, once each."""
    shown, seen = [], set()
    for product in products:
        product = shown_product(product)
        if product is not None and product.pk not in seen:
            seen.add(product.pk)
            shown.append(product)
    return shown


@register.filter
def shown_items(items):
    """Shop The Story's items as (kind, value): products as `shown_products` shows them, collections kept."""
    shown, seen = [], set()
    for item in items:
        if item.block_type == "product":
            product = shown_product(item.value)
            if product is None or ("product", product.pk) in seen:
                continue
            seen.add(("product", product.pk))
            shown.append(("product", product))
        else:
            shown.append(("collection", item.value))
    return shown


@register.simple_tag
def module_of(heading):
    return products_module(heading)


@register.simple_tag
def shop_the_story_module():
    return SHOP_THE_STORY


@register.simple_tag
def tracked_link(post, module, target):
    """The click-counting link on `post` to `target`'s store page, or "" outside a live post's module."""
    if post is None or not module or not getattr(post, "pk", None):
        return ""
    return tracked_url(post, module, target)
