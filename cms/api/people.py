"""The experts and sources endpoints of the public read API."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from cms.models import Expert, Source

from . import schemas
from .common import Pagination, SearchText, get, id_path, paginate, search, slug_path
from .serializers import Serializer

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
