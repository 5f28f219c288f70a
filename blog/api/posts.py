"""The posts endpoints of the public read API: lists with filters, and a post by id or slug."""

from typing import Literal

from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

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
from cms.references import ids_of_pages_referencing
from shop.models import CollectionPage, ProductPage

from ..models import BlogPostPage, BlogPostQuerySet, BlogPostTag

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
    posts = filter_posts(post_listing(), filters)
    if isinstance(posts, BlogPostQuerySet):
        # A deep offset sorts ids, not whole rows; only the page's posts are read (BlogPostQuerySet.ids).
        count, ids = paginate(posts.ids(), pagination)
        posts = posts.in_order(ids)
    else:
        count, posts = paginate(posts, pagination)
    serializer = Serializer(request)
    return {"count": count, "items": [serializer.post_summary(post) for post in posts]}


def post_detail_queryset():
    """Live, public posts with their content; the rest is read by post_response, with the related posts'."""
    return BlogPostPage.objects.live().public().select_related("hero_image")


def post_response(request, post, is_preview=False):
    related = post.read_page_content(is_preview=is_preview, author_photos=True)
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
