"""The posts endpoints of the public read API: lists with filters, and a post by id or slug."""

from typing import Literal

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from cms.api import schemas
from cms.api.common import (
    AUTHOR_PHOTOS,
    IdOrSlug,
    Pagination,
    SearchText,
    by_id_or_slug,
    get,
    id_path,
    paginate,
    search,
    slug_path,
)
from cms.api.serializers import Serializer
from cms.models import Expert
from cms.site.references import ids_of_pages_referencing
from shop.models import CollectionPage, ProductPage

from ..models import BlogPostPage, BlogPostQuerySet, BlogPostTag
from . import cursors
from .serializers import PostSerializer

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
    after: str | None = Field(
        None,
        max_length=200,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="A cursor: the `next` of the previous page. The posts after it, in the newest or oldest "
        "order, however many were published meanwhile; instead of `offset`, and not with `search`.",
    )


class PostPage(schemas.PostList):
    next: str | None = Field(
        description="The cursor of the next page (`?after=`), or null on the last page. Only in the newest and "
        "oldest orders without a search."
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


@get(posts_router, "/", PostPage, "posts_list", "Posts", errors=(400, 422))
def list_posts(request, filters: Query[PostFilters], pagination: Query[Pagination]):
    posts = filter_posts(post_listing(), filters)
    order = filters.order or "newest"
    if filters.after is not None:
        if filters.search or order not in cursors.CURSOR_ORDERS or pagination.offset:
            raise HttpError(400, "`after` pages the newest or oldest order, without `search` or `offset`.")
        return cursor_page(request, posts, filters, pagination)
    serializer = Serializer(request)
    if isinstance(posts, BlogPostQuerySet):
        # A deep offset sorts ids, not whole rows; only the page's posts are read (BlogPostQuerySet.ids).
        count, ids = paginate(posts.ids(), pagination)
        posts = posts.in_order(ids)
    else:
        count, posts = paginate(posts, pagination)
    items = [serializer.post_summary(post) for post in posts]
    keyset = order in cursors.CURSOR_ORDERS and not filters.search and isinstance(posts, list) and posts
    more = keyset and pagination.offset + len(posts) < count
    return {"count": count, "items": items, "next": cursors.encode(posts[-1]) if more else None}


def cursor_page(request, posts, filters, pagination):
    """A page after the cursor: one more id than asked is read, to tell whether a next page exists."""
    count = posts.count()
    ids = list(cursors.after(posts, filters.after, filters.order or "newest").ids()[: pagination.limit + 1])
    page = posts.in_order(ids[: pagination.limit])
    serializer = Serializer(request)
    more = len(ids) > pagination.limit
    return {
        "count": count,
        "items": [serializer.post_summary(post) for post in page],
        "next": cursors.encode(page[-1]) if more else None,
    }


def post_detail_queryset():
    """Live, public posts with their content; the rest is read by post_response, with the related posts'."""
    return BlogPostPage.objects.live().public().select_related("hero_image")


def post_response(request, post, is_preview=False):
    related = post.read_page_content(is_preview=is_preview, author_photos=True)
    return PostSerializer(request).post(post, related)


@get(posts_router, "/{post_id}/", schemas.Post, "posts_detail", "A post, by id")
def get_post(request, post_id: int = id_path("post")):
    return post_response(request, get_object_or_404(post_detail_queryset(), pk=post_id))


@get(posts_router, "/by-slug/{slug}/", schemas.Post, "posts_detail_by_slug", "A post, by slug")
def get_post_by_slug(request, slug: str = slug_path("post")):
    post = post_detail_queryset().filter(slug=slug).order_by("pk").first()
    if post is None:
        raise Http404("No post has this slug.")
    return post_response(request, post)
