"""What every public read endpoint shares: limits, pagination, path parameters, problem responses, search.

The endpoints: posts (blog/api.py), experts and sources (cms/api/people.py), products and collections
(shop/api.py) and the home page (cms/api/home.py); cms/urls.py mounts them.

Only published content appears, by the site's own rules: pages are `.live().public()` (a draft, an
unpublished page or a page behind a view restriction is a 404), and unpublished experts, sources and
products are left out of whatever refers to them (cms/api/serializers.py). A live page's row holds its
published content, so a newer unpublished revision never shows either.

Every endpoint runs a fixed number of SQL queries whatever the size of the content: lists and details read
through the listing querysets and the bulk-resolving chooser blocks, with image renditions prefetched.
"""

from typing import Annotated

from django.db.models import Case, Value, When
from ninja import Field, Path, Schema
from wagtail.api.v3.errors import ProblemDetail
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from cms.site.search_terms import plain_words

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000_000
MAX_ID = 2**63 - 1  # a bigint; larger ids cannot exist, and SQLite refuses to compare with them

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
