import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Prefetch
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES
from cms.orderable import InlineItem
from cms.site.structured_data import social_image

from .pricing import bundle_pricing, format_money
from .store import cart_url

PRICE_FIELD = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(0)]}
CURRENCY_CODE = re.compile(r"[A-Za-z]{3}")  # ISO 4217's letters are ASCII: "ÉUR" is no code


def default_currency():
    return settings.VERITY_DEFAULT_CURRENCY


class ShopIndexPage(Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["shop.ProductPage", "shop.CollectionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = ProductPage.objects.listing().child_of(self)
        context["collections"] = CollectionPage.objects.listing().child_of(self)
        return context


def product_images(renditions=True):
    """Product images with their image rows, and their renditions unless a page reads those for all its images."""
    images = ProductImage.objects.select_related("image")
    return images.prefetch_related("image__renditions") if renditions else images


class ProductQuerySet(PageQuerySet):
    def with_images(self, renditions=True):
        return self.prefetch_related(Prefetch("images", queryset=product_images(renditions)))

    def listing(self):
        return self.live().public().with_images().order_by("title")

    def with_fallbacks(self, renditions=True):
        """With each product's fallback and its images, for the posts that may show it instead (shop/stock.py)."""
        return (
            self.with_images(renditions)
            .prefetch_related(Prefetch("fallback_product__images", queryset=product_images(renditions)))
            .select_related("fallback_product")
        )


class ProductPage(Page):
    class Availability(models.TextChoices):
        IN_STOCK = "in_stock", "In stock"
        LOW_STOCK = "low_stock", "Low stock"
        OUT_OF_STOCK = "out_of_stock", "Out of stock"
        PREORDER = "preorder", "Available to pre-order"
        DISCONTINUED = "discontinued", "Discontinued"

    # schema.org's names for each availability, for the Product JSON-LD.
    SCHEMA_AVAILABILITY = {
        "in_stock": "https://schema.org/InStock",
        "low_stock": "https://schema.org/LimitedAvailability",
        "out_of_stock": "https://schema.org/OutOfStock",
        "preorder": "https://schema.org/PreOrder",
        "discontinued": "https://schema.org/Discontinued",
    }
    UNAVAILABLE = (Availability.OUT_OF_STOCK, Availability.DISCONTINUED)

    sku = models.CharField("SKU", max_length=64, unique=True)
    price = models.DecimalField(**PRICE_FIELD)
    compare_at_price = models.DecimalField(
        **PRICE_FIELD, null=True, blank=True, help_text="The former price, shown struck through."
    )
    currency = models.CharField(max_length=3, default=default_currency, help_text="ISO 4217 code, like USD.")
    summary = models.CharField(max_length=240, blank=True, help_text="One line for product cards.")
    description = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    availability = models.CharField(max_length=20, choices=Availability.choices, default=Availability.IN_STOCK)
    buy_url = models.URLField("Buy URL", max_length=500, help_text="Where the Buy button leads.")
    # Who checked the product is fit to recommend, and when; a post cannot be submitted with an unvetted one.
    vetted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vetted_on = models.DateField(null=True, blank=True)
    # What a shopper is shown instead while this product cannot be bought (shop/stock.py).
    fallback_product = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in posts in this product's place while it is out of stock or discontinued.",
    )
    featured_in_note = models.CharField(
        "Featured in text", max_length=240, blank=True, help_text="An editor's line above the posts featuring it."
    )
    # The store's own data, written by `manage.py sync_products` (shop/sync.py).
    store_product_id = models.CharField(max_length=64, blank=True, db_index=True)
    handle = models.CharField(max_length=255, blank=True, help_text="The product's handle in the store.")
    variant_ids = models.JSONField(
        default=list, blank=True, help_text="The store's variant ids; the first goes into bundle cart links."
    )
    inventory_quantity = models.IntegerField(null=True, blank=True)
    unavailable_since = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PageManager.from_queryset(ProductQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("sku"), FieldPanel("currency")]),
                FieldRowPanel([FieldPanel("price"), FieldPanel("compare_at_price")]),
                FieldRowPanel([FieldPanel("availability"), FieldPanel("inventory_quantity")]),
                FieldPanel("buy_url"),
                FieldPanel("fallback_product"),
            ],
            heading="Selling",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("store_product_id"), FieldPanel("handle")]), FieldPanel("variant_ids")],
            heading="Store",
            classname="collapsed",
        ),
        InlinePanel("images", label="Images", min_num=1),
        FieldPanel("description"),
        FieldPanel("featured_in_note"),
        MultiFieldPanel([FieldRowPanel([FieldPanel("vetted_by"), FieldPanel("vetted_on")])], heading="Vetting"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("description")]
    parent_page_types = ["shop.ShopIndexPage"]
    subpage_types = []

    @property
    def main_image(self):
        images = list(self.images.all())
        return images[0].image if images else None

    @property
    def is_on_sale(self):
        return self.compare_at_price is not None and self.compare_at_price > self.price

    @property
    def price_display(self):
        return format_money(self.price, self.currency)

    @property
    def savings_display(self):
        return format_money(self.compare_at_price - self.price, self.currency) if self.is_on_sale else ""

    @property
    def compare_at_price_display(self):
        return format_money(self.compare_at_price, self.currency) if self.is_on_sale else ""

    @property
    def is_buyable(self):
        return self.availability not in self.UNAVAILABLE

    @property
    def cart_variant_id(self):
        return str(self.variant_ids[0]) if self.variant_ids else ""

    @property
    def is_vetted(self):
        return self.vetted_by_id is not None and self.vetted_on is not None

    @property
    def schema_availability(self):
        return self.SCHEMA_AVAILABILITY[self.availability]

    def with_content_json(self, content):
        # When it went unavailable is the page's own record (shop/stock.py), not part of any revision.
        page = super().with_content_json(content)
        page.unavailable_since = self.unavailable_since
        return page

    def featured_in(self, limit=6):
        """The live posts that show this product, newest first."""
        post_ids = ShopPlacement.objects.filter(product=self).values("post_id")
        return Page.objects.live().public().filter(pk__in=post_ids).order_by("-first_published_at")[:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["og_image"] = social_image(self.main_image)
        context["featured_in"] = list(self.featured_in())
        return context

    def clean(self):
        super().clean()
        errors = {}
        if self.compare_at_price is not None and self.price is not None and self.compare_at_price <= self.price:
            errors["compare_at_price"] = "The compare-at price must be higher than the price."
        if self.currency and not CURRENCY_CODE.fullmatch(self.currency):
            errors["currency"] = "Use a three-letter ISO 4217 code, like USD."
        else:
            self.currency = (self.currency or "").upper()
            if bundles := self.bundles_priced_otherwise():
                names = ", ".join(f"“{title}”" for title in bundles)
                errors["currency"] = (
                    f"This product is sold in {names}, whose other products are priced in another currency. "
                    "Take it out of the bundle first, or keep its currency."
                )
        if errors:
            raise ValidationError(errors)

    def bundles_priced_otherwise(self):
        """Titles of the bundles this product is in whose other products use another currency: a bundle's
        products share one currency (CollectionPage.clean), so this product's currency may not drift."""
        if self.pk is None or not self.currency:
            return []
        bundle_ids = CollectionItem.objects.filter(product=self, collection__bundle_price__isnull=False).values(
            "collection_id"
        )
        clashing = (
            CollectionItem.objects.filter(collection_id__in=bundle_ids)
            .exclude(product=self)
            .exclude(product__currency=self.currency)
            .values_list("collection__title", flat=True)
        )
        return sorted(set(clashing))


class ProductImage(InlineItem):
    product = ParentalKey(ProductPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("image")]


class CollectionQuerySet(PageQuerySet):
    def with_products(self, renditions=True):
        items = CollectionItem.objects.select_related("product").prefetch_related(
            Prefetch("product__images", queryset=product_images(renditions))
        )
        return self.prefetch_related(Prefetch("items", queryset=items))

    def listing(self):
        return self.live().public().with_products().order_by("title")


class CollectionPageForm(WagtailAdminPageForm):
    """The admin form of a collection: the page's clean() sees the products in the form.

    Django validates the page before ClusterForm hands it the inline items (at save), so the bundle's
    currency rule would judge the products saved before instead of the ones being saved.
    """

    def clean(self):
        cleaned_data = super().clean()
        items = self.formsets["items"]
        if items.is_valid():
            items.save(commit=False)  # in memory only, as ClusterForm.save(commit=False) does
        return cleaned_data


class CollectionPage(Page):
    """An ordered set of products. With a bundle price it is a "Bundle to Save"."""

    intro = models.TextField(blank=True)
    bundle_price = models.DecimalField(
        **PRICE_FIELD,
        null=True,
        blank=True,
        help_text="Set a price to sell the collection as a bundle. The savings are computed.",
    )
    bundle_buy_url = models.URLField("Bundle buy URL", max_length=500, blank=True)

    objects = PageManager.from_queryset(CollectionQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("items", label="Products", min_num=1),
        MultiFieldPanel([FieldPanel("bundle_price"), FieldPanel("bundle_buy_url")], heading="Bundle"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["shop.ShopIndexPage"]
    subpage_types = []
    base_form_class = CollectionPageForm

    @property
    def is_bundle(self):
        return self.bundle_price is not None

    @property
    def products(self):
        """The live products, in the editor's order."""
        return [item.product for item in self.items.all() if item.product.live]

    @property
    def unavailable_products(self):
        return [product for product in self.products if not product.is_buyable]

    @property
    def buyable_products(self):
        return [product for product in self.products if product.is_buyable]

    @property
    def buy_url(self):
        """Where "Buy the bundle" leads: its own buy URL, else a store cart holding each of its products; none
        while a product of it cannot be bought (see `partial_buy_url`)."""
        if self.unavailable_products or not self.products:
            return ""
        return self.bundle_buy_url or cart_url(self.products)

    @property
    def partial_buy_url(self):
        """A cart of the products that can be bought, when some cannot."""
        if not self.unavailable_products or not self.buyable_products:
            return ""
        return cart_url(self.buyable_products)

    @property
    def pricing(self):
        return bundle_pricing(self.products, self.bundle_price)

    @property
    def bundle_price_display(self):
        pricing = self.pricing
        return format_money(pricing.bundle_price, pricing.currency) if pricing else ""

    @property
    def savings_display(self):
        pricing = self.pricing
        return format_money(pricing.savings, pricing.currency) if pricing and pricing.savings > 0 else ""

    @property
    def items_total_display(self):
        pricing = self.pricing
        return format_money(pricing.items_total, pricing.currency) if pricing else ""

    def clean(self):
        super().clean()
        currencies = {item.product.currency for item in self.items.all() if item.product_id}
        if self.bundle_price is not None and len(currencies) > 1:
            used = ", ".join(sorted(currencies))
            raise ValidationError({"bundle_price": f"A bundle's products must share one currency; these use {used}."})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Re-read the live page with its products prefetched so the template runs a fixed number of
        # queries; a preview shows the unsaved draft as it is.
        if getattr(request, "is_preview", False):
            context["collection"] = self
        else:
            context["collection"] = CollectionPage.objects.with_products().get(pk=self.pk)
        return context


class CollectionItem(InlineItem):
    collection = ParentalKey(CollectionPage, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(ProductPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("product")]


class StoreImage(models.Model):
    """A Wagtail image copied from the store, by its source URL, so a sync never copies one twice."""

    source_url = models.URLField(max_length=1000, unique=True)
    image = models.ForeignKey("wagtailimages.Image", on_delete=models.CASCADE, related_name="+")

    def __str__(self):
        return self.source_url


class SyncRun(models.Model):
    """One run of `manage.py sync_products`: what it did, or why it refused the feed."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    source = models.CharField(max_length=1000)
    succeeded = models.BooleanField()
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    discontinued = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self):
        return self.summary

    @property
    def summary(self):
        if not self.succeeded:
            return f"Refused: {self.error}"
        return (
            f"{self.created} created, {self.updated} updated, {self.discontinued} discontinued, "
            f"{self.unchanged} unchanged"
        )


class ShopPlacement(models.Model):
    """A product as a live post shows it: in which module, and through which collection if any.

    Rebuilt from the live content whenever a post is published or unpublished (shop/placements.py), so the
    stock report, the "featured in" lists and the click redirect read a table instead of every post's JSON.
    """

    post = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=80, help_text="shop-the-story, or the products block's slug.")
    module_label = models.CharField(max_length=120)
    product = models.ForeignKey(ProductPage, on_delete=models.CASCADE, related_name="placements")
    collection = models.ForeignKey(CollectionPage, null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["post", "module"])]

    def __str__(self):
        return f"{self.product_id} in {self.module} of {self.post_id}"


class ShopClick(models.Model):
    """Clicks through a post's shop module to the store, counted per day. Nothing about the reader is kept."""

    post = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    module = models.CharField(max_length=80)
    # The product or bundle clicked.
    target = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "module", "target", "day"], name="shop_click_per_day"),
        ]

    def __str__(self):
        return f"{self.count} clicks on {self.day}"
