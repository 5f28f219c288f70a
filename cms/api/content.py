"""Verity's public read endpoints: posts, experts, sources, products, collections and the home page.

Only published content appears, by the site's own rules: pages are `.live().public()` (a draft, an
unpublished page or a page behind a view restriction is a 404), and unpublished experts, sources and
products are left out of whatever refers to them (cms/api/serializers.py). A live page's row holds its
published content, so a newer unpublished revision never shows either.

Every endpoint runs a fixed number of SQL queries whatever the size of the content: lists and details read
through the listing querysets and the bulk-resolving chooser blocks, with image renditions prefetched.
"""

from typing import Annotated, Literal

from django.db import models
from django.db.models import Case, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from wagtail.api.v3.errors import ProblemDetail
from wagtail.models import Site
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from blog.models import BlogPostPage, BlogPostTag
from cms.models import Expert, HomePage, Source
from cms.references import ids_of_pages_referencing
from cms.search_terms import plain_words
from shop.models import CollectionPage, ProductPage

from . import schemas
from .serializers import Serializer, expand_rich_texts

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**63 - 1  # a bigint; larger ids cannot exist, and SQLite refuses to compare with them
LATEST_POSTS_ON_HOME = 6  # as the home page shows (cms/models/home.py)

MAX_SEARCH_HITS = 1000

# Authors as post cards show them, with their photos' renditions.
AUTHOR_PHOTOS = "authors__expert__photo__renditions"


# Text parameters refuse NUL characters, which no database accepts in a query.
SearchText = Annotated[
    str | None,
    Field(max_length=200, pattern=r"^[^\x00]*$", description="Words to search for (Wagtail search)."),
]
IdOrSlug = Annotated[str | None, Field(max_length=255, pattern=r"^[-\w]+$")]


def id_path(name):
    return Path(..., ge=1, le=MAX_ID, description=f"The {name}'s id.")


def slug_path(name):
    return Path(..., max_length=255, pattern=r"^[-\w]+$", description=f"The {name}'s slug.")


class Pagination(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"How many items to return, at most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


PROBLEM_RESPONSE = {"application/problem+json": {"schema": ProblemDetail.model_json_schema()}}


def get(router, path, schema, name, summary, errors=(404, 422)):
    """A GET operation answering `schema`, and RFC 7807 problem details for the error statuses it may return."""
    return router.get(
        path,
        response={200: schema, **dict.fromkeys(errors)},
        url_name=name,
        operation_id=name,
        summary=summary,
        openapi_extra={"responses": {status: {"content": PROBLEM_RESPONSE} for status in errors}},
    )


def paginate(results, pagination):
    """The count of a queryset or search results, and its page of items."""
    return results.count(), list(results[pagination.offset : pagination.offset + pagination.limit])


def search(queryset, query, base, order_by_relevance=True):
    """Wagtail search over a filtered and ordered queryset: by relevance, or in the queryset's order.

    Where the search index cannot filter or order by a field (a source's kind, a product's price), the hits
    are found among `base()` (the unfiltered queryset), the best MAX_SEARCH_HITS of them, then filtered and
    ordered by the database. A query of blanks searches nothing.
    """
    words = plain_words(query)
    if not words:
        return queryset
    backend = get_search_backend()
    try:
        return backend.search(words, queryset, order_by_relevance=order_by_relevance)
    except (FilterFieldError, OrderByFieldError):
        pass
    base = base().select_related(None).prefetch_related(None).only("pk")
    hits = [hit.pk for hit in backend.search(words, base)[:MAX_SEARCH_HITS]]
    queryset = queryset.filter(pk__in=hits)
    if order_by_relevance:
        ranks = [When(pk=pk, then=Value(rank)) for rank, pk in enumerate(hits)]
        queryset = queryset.order_by(Case(*ranks, default=Value(len(hits))), "pk") if ranks else queryset
    return queryset


def by_id_or_slug(queryset, key):
    if key.isdecimal() and int(key) <= MAX_ID:
        return queryset.filter(pk=int(key))
    return queryset.filter(slug=key)


# Posts

posts_router = Router(tags=["posts"])

PostOrder = Literal["newest", "oldest", "title"]
POST_ORDERING = {
    "newest": ("-first_published_at", "-id"),
    "oldest": ("first_published_at", "id"),
    "title": ("title", "id"),
}


class PostFilters(Schema):
    tag: IdOrSlug = Field(None, description="A tag's slug: posts with that tag.", examples=["sex"])
    expert: IdOrSlug = Field(
        None, description="An expert's id or slug: posts that quote them or name them as an author."
    )
    product: IdOrSlug = Field(
        None,
        description="A product's id or slug: posts that show it in their body or Shop The Story, directly or "
        "in a collection or bundle.",
    )
    search: SearchText = None
    order: PostOrder | None = Field(
        None, description="newest (the default), oldest or title. A search without an order is by relevance."
    )


def post_listing():
    """Live, public posts as cards show them (BlogPostPage.objects.listing()), with their authors' photos."""
    return BlogPostPage.objects.listing().prefetch_related(AUTHOR_PHOTOS)


def filter_posts(posts, filters):
    if filters.tag:
        posts = posts.filter(pk__in=BlogPostTag.objects.filter(tag__slug=filters.tag).values("content_object_id"))
    if filters.expert:
        experts = by_id_or_slug(Expert.objects.live(), filters.expert)
        posts = posts.filter(pk__in=ids_of_pages_referencing(experts))
    if filters.product:
        products = by_id_or_slug(ProductPage.objects.live(), filters.product)
        collections = CollectionPage.objects.live().filter(items__product__in=products)
        posts = posts.filter(
            models.Q(pk__in=ids_of_pages_referencing(products)) | models.Q(pk__in=ids_of_pages_referencing(collections))
        )
    posts = posts.order_by(*POST_ORDERING[filters.order or "newest"])
    if filters.search:
        return search(posts, filters.search, post_listing, order_by_relevance=filters.order is None)
    return posts


@get(posts_router, "/", schemas.PostList, "posts_list", "Posts", errors=(422,))
def list_posts(request, filters: Query[PostFilters], pagination: Query[Pagination]):
    count, posts = paginate(filter_posts(post_listing(), filters), pagination)
    serializer = Serializer(request)
    return {"count": count, "items": [serializer.post_summary(post) for post in posts]}


def post_detail_queryset():
    """The listing's queryset with the post's body and Shop The Story read too."""
    return post_listing().defer(None)


def post_response(request, post):
    related = post.related_posts().prefetch_related(AUTHOR_PHOTOS)
    return Serializer(request).post(post, related)


@get(posts_router, "/{post_id}/", schemas.Post, "posts_detail", "A post, by id")
def get_post(request, post_id: int = id_path("post")):
    return post_response(request, get_object_or_404(post_detail_queryset(), pk=post_id))


@get(posts_router, "/by-slug/{slug}/", schemas.Post, "posts_detail_by_slug", "A post, by slug")
def get_post_by_slug(request, slug: str = slug_path("post")):
    post = post_detail_queryset().filter(slug=slug).order_by("pk").first()
    if post is None:
        raise Http404("No post has this slug.")
    return post_response(request, post)


# Experts

experts_router = Router(tags=["experts"])


class ExpertFilters(Schema):
    search: SearchText = None


def expert_queryset():
    return Expert.objects.live().select_related("photo").prefetch_related("photo__renditions").order_by("name", "pk")


@get(experts_router, "/", schemas.ExpertList, "experts_list", "Published experts", errors=(422,))
def list_experts(request, filters: Query[ExpertFilters], pagination: Query[Pagination]):
    experts = expert_queryset()
    if filters.search:
        experts = search(experts, filters.search, expert_queryset)
    count, experts = paginate(experts, pagination)
    return {"count": count, "items": Serializer(request).experts(experts)}


def expert_response(request, queryset):
    expert = queryset.first()
    if expert is None:
        raise Http404("No published expert matches.")
    return Serializer(request).experts([expert])[0]


@get(experts_router, "/{expert_id}/", schemas.Expert, "experts_detail", "An expert, by id")
def get_expert(request, expert_id: int = id_path("expert")):
    return expert_response(request, expert_queryset().filter(pk=expert_id))


@get(experts_router, "/by-slug/{slug}/", schemas.Expert, "experts_detail_by_slug", "An expert, by slug")
def get_expert_by_slug(request, slug: str = slug_path("expert")):
    return expert_response(request, expert_queryset().filter(slug=slug))


# Sources

sources_router = Router(tags=["sources"])


class SourceFilters(Schema):
    search: SearchText = None
    kind: Source.Kind | None = Field(None, description="Only sources of this kind.")


@get(sources_router, "/", schemas.SourceList, "sources_list", "Published sources", errors=(422,))
def list_sources(request, filters: Query[SourceFilters], pagination: Query[Pagination]):
    sources = Source.objects.live().order_by("title", "pk")
    if filters.kind:
        sources = sources.filter(kind=filters.kind)
    if filters.search:
        sources = search(sources, filters.search, Source.objects.live)
    count, sources = paginate(sources, pagination)
    return {"count": count, "items": [Serializer.source(source) for source in sources]}


@get(sources_router, "/{source_id}/", schemas.Source, "sources_detail", "A source, by id")
def get_source(request, source_id: int = id_path("source")):
    return Serializer.source(get_object_or_404(Source.objects.live(), pk=source_id))


# Products

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


# The home page

home_router = Router(tags=["home"])


@get(
    home_router,
    "/",
    schemas.Home,
    "home",
    "The home page of the requested site: its latest posts and featured collection",
    errors=(404,),
)
def get_home(request):
    site = Site.find_for_request(request)
    home = site and HomePage.objects.live().public().filter(pk=site.root_page_id).first()
    if not home:
        raise Http404("This site has no published home page.")
    featured = None
    if home.featured_collection_id:
        featured = CollectionPage.objects.listing().filter(pk=home.featured_collection_id).first()
    serializer = Serializer(request)
    return {
        "id": home.pk,
        "title": home.title,
        "url": serializer.page_url(home),
        "intro": home.intro,
        "seo_title": home.seo_title,
        "search_description": home.search_description,
        "latest_posts": [serializer.post_summary(post) for post in post_listing()[:LATEST_POSTS_ON_HOME]],
        "featured_collection": serializer.collection(featured) if featured else None,
    }


ROUTERS = {
    "/posts/": posts_router,
    "/experts/": experts_router,
    "/sources/": sources_router,
    "/products/": products_router,
    "/collections/": collections_router,
    "/home/": home_router,
}
