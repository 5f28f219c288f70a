"""Products synced from the store's feed, in Shopify's `products.json` shape.

`sync(source)` reads the whole feed, checks every product in it first, then in one transaction creates the
products it does not know (under the shop, draft or live by VERITY_STORE_PUBLISH_NEW), revises the ones whose
store data changed (published when they are live, with a `verity.product_synced` log entry naming each
change) and marks discontinued the synced products the feed no longer lists. A product is matched by its store
id, else by SKU (a product typed in before the store was connected). Only store data is written: title,
handle, SKU, variant ids, price, compare-at price, currency, availability, inventory, images, description and
buy URL; an editor's summary, "featured in" text, fallback, vetting and slug stay as they are. Images are copied
into Wagtail once per source URL (StoreImage). Every run, refused or not, is recorded as a SyncRun.
"""

import json
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.rich_text.converters.db_html import DbHTMLConverter
from wagtail.images import get_image_model
from wagtail.log_actions import log

from cms.blocks import RICH_TEXT_FEATURES

from . import store
from .models import ProductImage, ProductPage, ShopIndexPage, StoreImage, SyncRun

SYNC_ACTION = "verity.product_synced"
FETCH_TIMEOUT_SECONDS = 20
MAX_FEED_BYTES = 20 * 1024 * 1024
HANDLE = re.compile(r"[a-z0-9][a-z0-9-]{0,254}")
# The fields a sync owns, in the order its log entries name them.
STORE_FIELDS = (
    "title",
    "handle",
    "sku",
    "variant_ids",
    "price",
    "compare_at_price",
    "currency",
    "availability",
    "inventory_quantity",
    "description",
    "buy_url",
)


class FeedError(Exception):
    """The feed cannot be read or is not a product feed; nothing was written."""


@dataclass
class FeedProduct:
    store_product_id: str
    title: str
    handle: str
    sku: str
    variant_ids: list
    price: Decimal
    compare_at_price: Decimal | None
    currency: str
    availability: str
    inventory_quantity: int | None
    description: str
    buy_url: str
    images: list = field(default_factory=list)  # (absolute source URL, alt text)

    def store_data(self):
        return {name: getattr(self, name) for name in STORE_FIELDS}


@dataclass
class SyncResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    discontinued: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


# --- Reading ----------------------------------------------------------------------------------------------------


def is_url(source):
    return urlsplit(str(source)).scheme in ("http", "https")


def read_bytes(source, limit):
    if is_url(source):
        headers = {"User-Agent": "verity-sync/1", "Accept": "application/json, image/*"}
        request = Request(source, headers=headers)  # noqa: S310 - http(s) only, checked above
        with urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310 - http(s) only, checked above
            data = response.read(limit + 1)
    else:
        with open(source, "rb") as file:
            data = file.read(limit + 1)
    if len(data) > limit:
        raise FeedError(f"{source} is larger than {limit} bytes.")
    return data


def load_feed(source):
    try:
        data = read_bytes(source, MAX_FEED_BYTES)
    except FeedError:
        raise
    except OSError as error:
        raise FeedError(f"Could not read {source}: {error}") from error
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise FeedError(f"{source} is not JSON: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("products"), list):
        raise FeedError(f'{source} is not a product feed: expected an object with a "products" list.')
    return document


def money(value, where):
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise FeedError(f"{where}: {value!r} is not a price.") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= 10**8:
        raise FeedError(f"{where}: {value!r} is not a price.")
    return amount.quantize(Decimal("0.01"))


def availability_of(variants):
    quantities = [v.get("inventory_quantity") for v in variants if isinstance(v.get("inventory_quantity"), int)]
    inventory = sum(quantities) if quantities else None
    flags = [v["available"] for v in variants if isinstance(v.get("available"), bool)]
    available = any(flags) if flags else (inventory is None or inventory > 0)
    if not available:
        return "out_of_stock", inventory
    if inventory is not None and inventory <= settings.VERITY_STORE_LOW_STOCK:
        return "low_stock", inventory
    return "in_stock", inventory


def clean_description(html):
    """The store's HTML cleaned as the API cleans rich text: only the features editors have (no scripts,
    styles or other tags), the same output for the same input."""
    if not html:
        return ""
    return DbHTMLConverter(features=RICH_TEXT_FEATURES).clean(str(html))[0]


def parse_product(raw, position, document, source):
    where = f"product {position + 1}"
    if not isinstance(raw, dict):
        raise FeedError(f"{where} is not an object.")
    product_id = raw.get("id")
    if not isinstance(product_id, (int, str)) or isinstance(product_id, bool) or not str(product_id).strip():
        raise FeedError(f"{where}: missing its id.")
    where = f"product {position + 1} (id {product_id})"
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise FeedError(f"{where}: missing its title.")
    handle = raw.get("handle")
    if not isinstance(handle, str) or not HANDLE.fullmatch(handle):
        raise FeedError(f"{where}: {handle!r} is not a handle (lower-case letters, digits and hyphens).")
    variants = raw.get("variants")
    if not isinstance(variants, list) or not variants or not all(isinstance(v, dict) for v in variants):
        raise FeedError(f"{where}: it has no variants.")
    variant_ids = []
    for variant in variants:
        variant_id = variant.get("id")
        if not isinstance(variant_id, int) or isinstance(variant_id, bool) or variant_id <= 0:
            raise FeedError(f"{where}: a variant has no numeric id.")
        variant_ids.append(variant_id)
    first = variants[0]
    price = money(first.get("price"), f"{where}, price")
    if price is None:
        raise FeedError(f"{where}: missing its price.")
    compare_at = money(first.get("compare_at_price"), f"{where}, compare-at price")
    if compare_at is not None and compare_at <= price:
        compare_at = None  # the store's way of saying "not on sale"
    currency = str(first.get("price_currency") or document.get("currency") or settings.VERITY_DEFAULT_CURRENCY)
    if not re.fullmatch(r"[A-Za-z]{3}", currency):
        raise FeedError(f"{where}: {currency!r} is not a currency code.")
    sku = str(first.get("sku") or "").strip() or handle.upper()
    if len(sku) > 64:
        raise FeedError(f"{where}: its SKU is longer than 64 characters.")
    availability, inventory = availability_of(variants)
    images = []
    for image in raw.get("images") or []:
        src = image.get("src") if isinstance(image, dict) else None
        if not isinstance(src, str) or not src:
            raise FeedError(f"{where}: an image has no src.")
        images.append((resolve_image_source(src, source), str(image.get("alt") or "")))
    return FeedProduct(
        store_product_id=str(product_id),
        title=title.strip()[:255],
        handle=handle,
        sku=sku,
        variant_ids=variant_ids,
        price=price,
        compare_at_price=compare_at,
        currency=currency.upper(),
        availability=availability,
        inventory_quantity=inventory,
        description=clean_description(raw.get("body_html")),
        buy_url=store.product_url(handle),
        images=images,
    )


def resolve_image_source(src, source):
    """An image's address: absolute, or relative to the feed. A feed read from a URL names only http(s) images,
    so a store cannot make the sync read this machine's files."""
    if is_url(src):
        return src
    if src.startswith("//"):
        return "https:" + src
    if is_url(source):
        resolved = urljoin(source, src)
        if not is_url(resolved):
            raise FeedError(f"Image {src!r} is not an http(s) address.")
        return resolved
    path = Path(src) if Path(src).is_absolute() else Path(source).resolve().parent / src
    return str(path)


def parse_feed(document, source):
    products = [parse_product(raw, n, document, source) for n, raw in enumerate(document["products"])]
    for attribute in ("store_product_id", "sku", "handle"):
        values = [getattr(product, attribute) for product in products]
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise FeedError(f"The feed lists {attribute.replace('_', ' ')} {', '.join(duplicates)} more than once.")
    return products


# --- Writing ----------------------------------------------------------------------------------------------------


def store_image(source_url, alt, title, result):
    """The Wagtail image copied from `source_url`, copied now if it never was; None if it cannot be read."""
    known = StoreImage.objects.select_related("image").filter(source_url=source_url[:1000]).first()
    if known:
        return known.image
    try:
        data = read_bytes(source_url, settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    except (OSError, FeedError) as error:
        result.warnings.append(f"Image {source_url} not copied: {error}")
        return None
    name = posixpath.basename(urlsplit(source_url).path) or "product"
    if not mimetypes.guess_type(name)[0]:
        name += ".jpg"
    image = get_image_model()(title=title[:255], description=alt[:255])
    try:
        image.file = ImageFile(BytesIO(data), name=name)
        image.save()
    except Exception as error:  # noqa: BLE001 - Pillow's many errors for a file that is not an image
        result.warnings.append(f"Image {source_url} not copied: {error}")
        return None
    StoreImage.objects.create(source_url=source_url[:1000], image=image)
    return image


def describe(name, before, after):
    label = name.replace("_", " ")
    if name == "description":
        return "description changed"
    return f"{label}: {'—' if before in (None, '', []) else before} → {'—' if after in (None, '', []) else after}"


def apply_images(page, feed_product, result):
    images = [store_image(url, alt, feed_product.title, result) for url, alt in feed_product.images]
    images = [image for image in images if image is not None]
    if not images or [item.image_id for item in page.images.all()] == [image.pk for image in images]:
        return False
    page.images = [ProductImage(image=image, sort_order=n) for n, image in enumerate(images)]
    return True


def unique_slug(parent, handle):
    slug, n = slugify(handle) or "product", 1
    siblings = set(parent.get_children().values_list("slug", flat=True))
    candidate = slug
    while candidate in siblings:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def save(page, changes, live):
    revision = page.save_revision(log_action=False, clean=False)
    if live:
        revision.publish(log_action=True)
    else:
        page.save(clean=False)
    log(instance=page, action=SYNC_ACTION, revision=revision, data={"changes": changes})


def create_product(shop, feed_product, result):
    page = ProductPage(slug=unique_slug(shop, feed_product.handle), store_product_id=feed_product.store_product_id)
    for name, value in feed_product.store_data().items():
        setattr(page, name, value)
    apply_images(page, feed_product, result)
    publish = settings.VERITY_STORE_PUBLISH_NEW
    page.live = publish
    shop.add_child(instance=page)
    save(page, ["created from the store"], live=publish)
    result.created.append(page.title)


def update_product(page, feed_product, result):
    changes = []
    for name, value in feed_product.store_data().items():
        if getattr(page, name) != value:
            changes.append(describe(name, getattr(page, name), value))
            setattr(page, name, value)
    if page.store_product_id != feed_product.store_product_id:
        changes.append(f"linked to store product {feed_product.store_product_id}")
        page.store_product_id = feed_product.store_product_id
    if apply_images(page, feed_product, result):
        changes.append("images changed")
    if not changes:
        result.unchanged.append(page.title)
        return
    save(page, changes, live=page.live)
    result.updated.append(page.title)


def discontinue(page, result):
    before = page.availability
    page.availability = ProductPage.Availability.DISCONTINUED
    page.inventory_quantity = 0
    save(page, [describe("availability", before, page.availability), "no longer in the store's feed"], page.live)
    result.discontinued.append(page.title)


def apply(products):
    result = SyncResult()
    shop = ShopIndexPage.objects.first()
    known = list(ProductPage.objects.with_images())
    by_store_id = {page.store_product_id: page for page in known if page.store_product_id}
    by_sku = {page.sku: page for page in known}
    for feed_product in products:
        page = by_store_id.get(feed_product.store_product_id) or by_sku.get(feed_product.sku)
        if page is None:
            if shop is None:
                raise FeedError("There is no shop section to add new products to.")
            create_product(shop, feed_product, result)
        else:
            update_product(page, feed_product, result)
    listed = {product.store_product_id for product in products}
    for page in known:
        if page.store_product_id and page.store_product_id not in listed and page.availability != "discontinued":
            discontinue(page, result)
    return result


def sync(source):
    """Read `source` (a file or an http(s) URL) and bring the products in line with it; returns a SyncResult.
    Raises FeedError, writing nothing but the SyncRun, when the feed is refused."""

    started_at = timezone.now()
    try:
        products = parse_feed(load_feed(source), source)
        with transaction.atomic():
            result = apply(products)
    except FeedError as error:
        SyncRun.objects.create(
            started_at=started_at,
            finished_at=timezone.now(),
            source=str(source)[:1000],
            succeeded=False,
            error=str(error),
        )
        raise
    SyncRun.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        source=str(source)[:1000],
        succeeded=True,
        created=len(result.created),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
        discontinued=len(result.discontinued),
        error="\n".join(result.warnings),
    )
    return result


def sync_if_due(now=None):
    """The scheduler's call: sync VERITY_STORE_FEED when the last run is VERITY_STORE_SYNC_MINUTES old. A refused
    feed is recorded (and shown in the admin), not raised, so the scheduler's other work goes on."""

    if not settings.VERITY_STORE_FEED or settings.VERITY_STORE_SYNC_MINUTES <= 0:
        return None
    now = now or timezone.now()
    last = SyncRun.objects.first()
    if last and (now - last.started_at).total_seconds() < settings.VERITY_STORE_SYNC_MINUTES * 60:
        return None
    try:
        return sync(settings.VERITY_STORE_FEED)
    except FeedError:
        return None
