"""Store feeds for the sync tests, in Shopify's products.json shape, written to files made for them."""

import copy
import io
import json

from PIL import Image as PILImage


def png(colour=(200, 120, 140), size=(40, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def shopify_product(product_id, handle, title, variant_id, sku, price, **extra):
    variant = {
        "id": variant_id,
        "title": "Default Title",
        "sku": sku,
        "price": price,
        "compare_at_price": extra.pop("compare_at_price", None),
        "available": extra.pop("available", True),
        "inventory_quantity": extra.pop("inventory_quantity", 40),
    }
    return {
        "id": product_id,
        "title": title,
        "handle": handle,
        "body_html": extra.pop("body_html", f"<p>{title}, from the store.</p>"),
        "vendor": "Verity",
        "product_type": "Wellness",
        "variants": [variant, *extra.pop("more_variants", [])],
        "images": extra.pop("images", []),
        **extra,
    }


def base_feed(images_dir=None):
    lube_images = [{"src": "lube.png", "alt": "The lube bottle"}] if images_dir else []
    return {
        "products": [
            shopify_product(
                7001,
                "silk-touch-lubricant",
                "Silk Touch Lubricant",
                41001,
                "VER-LUBE-01",
                "18.00",
                compare_at_price="22.00",
                images=lube_images,
            ),
            shopify_product(7002, "aftercare-massage-oil", "Aftercare Massage Oil", 41002, "VER-OIL-01", "24.00"),
        ]
    }


def changed(feed, product_index, **variant_changes):
    feed = copy.deepcopy(feed)
    feed["products"][product_index]["variants"][0].update(variant_changes)
    return feed


def write(tmp_path, feed, name="products.json"):
    path = tmp_path / name
    path.write_text(json.dumps(feed) if not isinstance(feed, str) else feed)
    return path
