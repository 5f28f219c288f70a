"""The products and collections (bundles) endpoints of the public read API."""

from typing import Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema

from cms.api import schemas
from cms.api.common import IdOrSlug, Pagination, SearchText, by_id_or_slug, get, id_path, paginate, search, slug_path
from cms.api.serializers import Serializer, expand_rich_texts

from .models import CollectionPage, ProductPage

products_router = Router(tags=["products"])

ProductOrder = Literal["title", "price", "-price", "newest"]
PRODUCT_ORDERING = {
    "title": ("title", "id"),
    "price": ("price", "title", "id"),
    "-price": ("-price", "title", "id"),
    "newest": ("-first_published_at", "-id"),
}


class ProductFilters(Schema):
    search: SearchText = None
    availability: ProductPage.Availability | None = None
    collection: IdOrSlug = Field(None, description="A collection's id or slug: only its products.")
    order: ProductOrder | None = Field(
        None, description="title (the default), price, -price or newest. A search without an order is by relevance."
    )


@get(products_router, "/", schemas.ProductList, "products_list", "Published products", errors=(422,))
def list_products(request, filters: Query[ProductFilters], pagination: Query[Pagination]):
    products = ProductPage.objects.listing()
    if filters.availability:
        # By id, a field the search index can filter by.
        products = products.filter(pk__in=ProductPage.objects.filter(availability=filters.availability).values("pk"))
    if filters.collection:
        collections = by_id_or_slug(CollectionPage.objects.live().public(), filters.collection)
        products = products.filter(pk__in=collections.values("items__product"))
    products = products.order_by(*PRODUCT_ORDERING[filters.order or "title"])
    if filters.search:
        products = search(
            products, filters.search, ProductPage.objects.listing, order_by_relevance=filters.order is None
        )
    count, products = paginate(products, pagination)
    serializer = Serializer(request)
    return {"count": count, "items": [serializer.product_card(product) for product in products]}


def product_response(request, queryset):
    product = queryset.first()
    if product is None:
        raise Http404("No published product matches.")
    [description] = expand_rich_texts([product.description])
    return Serializer(request).product(product, description)


@get(products_router, "/{product_id}/", schemas.Product, "products_detail", "A product, by id")
def get_product(request, product_id: int = id_path("product")):
    return product_response(request, ProductPage.objects.listing().filter(pk=product_id))


@get(products_router, "/by-slug/{slug}/", schemas.Product, "products_detail_by_slug", "A product, by slug")
def get_product_by_slug(request, slug: str = slug_path("product")):
    return product_response(request, ProductPage.objects.listing().filter(slug=slug).order_by("pk"))


# Collections and bundles

collections_router = Router(tags=["collections"])


class CollectionFilters(Schema):
    bundle: bool | None = Field(None, description='true: only bundles ("Bundle to Save"); false: only collections.')
    search: SearchText = None


@get(
    collections_router,
    "/",
    schemas.CollectionList,
    "collections_list",
    "Published collections and bundles",
    errors=(422,),
)
def list_collections(request, filters: Query[CollectionFilters], pagination: Query[Pagination]):
    collections = CollectionPage.objects.listing().order_by("title", "id")
    if filters.bundle is not None:
        # By id, a field the search index can filter by.
        bundles = CollectionPage.objects.filter(bundle_price__isnull=not filters.bundle).values("pk")
        collections = collections.filter(pk__in=bundles)
    if filters.search:
        collections = search(collections, filters.search, CollectionPage.objects.listing)
    count, collections = paginate(collections, pagination)
    serializer = Serializer(request)
    return {"count": count, "items": [serializer.collection(collection) for collection in collections]}


def collection_response(request, queryset):
    collection = queryset.first()
    if collection is None:
        raise Http404("No published collection matches.")
    return Serializer(request).collection(collection)


@get(collections_router, "/{collection_id}/", schemas.Collection, "collections_detail", "A collection or bundle, by id")
def get_collection(request, collection_id: int = id_path("collection")):
    return collection_response(request, CollectionPage.objects.listing().filter(pk=collection_id))


@get(
    collections_router,
    "/by-slug/{slug}/",
    schemas.Collection,
    "collections_detail_by_slug",
    "A collection or bundle, by slug",
)
def get_collection_by_slug(request, slug: str = slug_path("collection")):
    return collection_response(request, CollectionPage.objects.listing().filter(slug=slug).order_by("pk"))
