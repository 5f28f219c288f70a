"""The admin's product and collection choosers: each row shows what an editor picks by, not just a title.

Built on Wagtail's ChooserViewSet, so the chooser blocks (shop/blocks.py) still store a page id. Drafts are
listed with their status: an editor may link one before it goes live; the site leaves it out until then.
"""

from django import forms
from django.conf import settings
from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageStatusColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from .models import CollectionPage, ProductPage
from .pricing import format_money

NO_VALUE = "—"


class ThumbnailColumn(Column):
    cell_template_name = "shop/admin/chooser/thumbnail_cell.html"

    def __init__(self, name="image", **kwargs):
        super().__init__(name, label="", width="1%", **kwargs)


class ShopChooseViewMixin:
    """A thumbnail, the title, what the page type adds (get_extra_columns) and the status; no create tab."""

    ordering = "title"
    per_page = 20

    def get_extra_columns(self):
        return []

    @property
    def columns(self):
        return [
            ThumbnailColumn(accessor=self.thumbnail),
            self.title_column,
            *self.get_extra_columns(),
            PageStatusColumn("status", label="Status"),
        ]

    def thumbnail(self, page):
        raise NotImplementedError

    def can_create(self):
        # A product or collection is created under the shop index, with its images, not in a modal.
        return False


def only(model, **filters):
    # The search backend filters by indexed fields only; a filter on ids works with or without a search.
    return model.objects.filter(**filters).values("pk")


class ShopFilterForm(SearchFilterMixin, BaseFilterForm):
    def filter_field(self, choices, label):
        return forms.ChoiceField(
            choices=[("", "All")] + choices,
            label=label,
            required=False,
            # Wagtail's chooser modal reloads the results when a field with this attribute changes.
            widget=forms.Select(attrs={"data-chooser-modal-search-filter": True}),
        )


class ProductFilterForm(ShopFilterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "Search by name or SKU"
        self.fields["availability"] = self.filter_field(list(ProductPage.Availability.choices), "Availability")

    def filter(self, objects):
        availability = self.cleaned_data.get("availability")
        if availability:
            objects = objects.filter(pk__in=only(ProductPage, availability=availability))
        query = (self.cleaned_data.get("q") or "").strip()
        # A SKU is not in the search index; an exact one finds its product.
        if query and objects.filter(sku__iexact=query).exists():
            self.is_searching = True
            self.search_query = query
            return objects.filter(sku__iexact=query)
        return super().filter(objects)


class CollectionFilterForm(ShopFilterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = self.filter_field([("bundle", "Bundles"), ("collection", "Collections")], "Kind")

    def filter(self, objects):
        kind = self.cleaned_data.get("kind")
        if kind:
            objects = objects.filter(pk__in=only(CollectionPage, bundle_price__isnull=kind != "bundle"))
        return super().filter(objects)


class ProductChooseViewMixin(ShopChooseViewMixin):
    filter_form_class = ProductFilterForm

    def get_extra_columns(self):
        return [
            Column("sku", label="SKU"),
            Column("price", label="Price", accessor=product_price),
            Column("availability", label="Availability", accessor="get_availability_display"),
        ]

    def thumbnail(self, product):
        return product.main_image


class CollectionChooseViewMixin(ShopChooseViewMixin):
    filter_form_class = CollectionFilterForm

    def get_extra_columns(self):
        return [
            Column("products", label="Products", accessor=collection_product_count),
            Column("bundle_price", label="Bundle price", accessor=collection_bundle_price),
        ]

    def thumbnail(self, collection):
        products = collection.products or [item.product for item in collection.items.all()]
        return products[0].main_image if products else None


def product_price(product):
    if product.is_on_sale:
        return f"{product.price_display} (was {product.compare_at_price_display})"
    return product.price_display


def collection_product_count(collection):
    total = len(collection.items.all())
    not_live = total - len(collection.products)
    text = f"{total} product" + ("" if total == 1 else "s")
    return f"{text}, {not_live} not live" if not_live else text


def collection_bundle_price(collection):
    if not collection.is_bundle:
        return NO_VALUE
    if collection.savings_display:
        return f"{collection.bundle_price_display} (saves {collection.savings_display})"
    if collection.bundle_price_display:
        return collection.bundle_price_display
    # No live products, or mixed currencies: nothing to compare with, but still the price that was set.
    currencies = {item.product.currency for item in collection.items.all()}
    currency = currencies.pop() if len(currencies) == 1 else settings.VERITY_DEFAULT_CURRENCY
    return format_money(collection.bundle_price, currency)


class ProductChooseView(ProductChooseViewMixin, chooser_views.ChooseView):
    pass


class ProductChooseResultsView(ProductChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class CollectionChooseView(CollectionChooseViewMixin, chooser_views.ChooseView):
    pass


class CollectionChooseResultsView(CollectionChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = ProductPage
    icon = "tag"
    choose_one_text = "Choose a product"
    choose_another_text = "Choose another product"
    edit_item_text = "Edit this product"
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView

    def get_object_list(self):
        # Images with renditions, schedules and workflow states (the status) in a fixed number of queries.
        return ProductPage.objects.with_images().annotate_approved_schedule().prefetch_workflow_states()


class CollectionChooserViewSet(ChooserViewSet):
    model = CollectionPage
    icon = "folder-open-inverse"
    choose_one_text = "Choose a collection or bundle"
    choose_another_text = "Choose another collection or bundle"
    edit_item_text = "Edit this collection"
    choose_view_class = CollectionChooseView
    choose_results_view_class = CollectionChooseResultsView

    def get_object_list(self):
        return CollectionPage.objects.with_products().annotate_approved_schedule().prefetch_workflow_states()


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="shop/product-chooser")
collection_chooser_viewset = CollectionChooserViewSet("collection_chooser", url_prefix="shop/collection-chooser")
