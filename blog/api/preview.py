"""Headless preview: a token scoped to one page revision (cms/preview_tokens.py) reads that revision's JSON.

Editors mint tokens from the admin ("Preview on the frontend") or here, with a bearer token, for pages
they may edit. Both endpoints are throttled; a bad token is a 403, a token for another page a 404.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle, UserRateThrottle
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import Page, Revision

from cms import preview_tokens
from cms.api import schemas
from cms.api.common import PROBLEM_RESPONSE, id_path
from cms.preview_tokens import InvalidPreviewToken
from cms.site.address import absolute_url

from ..models import BlogPostPage
from .posts import post_response

router = Router(tags=["preview"])


class PreviewToken(Schema):
    token: str
    page_id: int
    revision_id: int
    expires_at: str
    preview_url: str


class TokenQuery(Schema):
    token: str


def editable_post(user, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied("You may not edit this page, so you may not preview its drafts.")
    post = page.specific
    if not isinstance(post, BlogPostPage):
        raise Http404("Headless preview serves blog posts.")
    return post


def mint_for(request, post):
    revision = post.get_latest_revision()
    if revision is None:
        raise Http404("This page has no revision to preview.")
    token = preview_tokens.mint(revision)
    expires_at = timezone.now() + timedelta(seconds=preview_tokens.max_age())
    return {
        "token": token,
        "page_id": post.pk,
        "revision_id": revision.pk,
        "expires_at": expires_at.isoformat(),
        "preview_url": absolute_url(f"/api/v3/preview/{post.pk}/?token={token}"),
    }


@router.post(
    "/{page_id}/token/",
    response={201: PreviewToken, 401: None, 403: None, 404: None, 429: None},
    auth=BearerTokenAuth(),
    throttle=[UserRateThrottle(settings.VERITY_API_TOKEN_RATE)],
    url_name="preview_token",
    operation_id="preview_token",
    summary="Mint a preview token for a post's latest revision",
    openapi_extra={"responses": {s: {"content": PROBLEM_RESPONSE} for s in (401, 403, 404, 429)}},
)
def create_token(request, page_id: int = id_path("page")):
    return Status(201, mint_for(request, editable_post(request.user, page_id)))


@router.get(
    "/{page_id}/",
    response={200: schemas.Post, 403: None, 404: None, 422: None, 429: None},
    throttle=[AnonRateThrottle(settings.VERITY_API_PREVIEW_RATE)],
    url_name="preview_read",
    operation_id="preview_read",
    summary="A post's previewed revision, as JSON, by preview token",
    openapi_extra={"responses": {s: {"content": PROBLEM_RESPONSE} for s in (403, 404, 422, 429)}},
)
def read_preview(request, page_id: int = id_path("page"), query: Query[TokenQuery] = None):
    try:
        grant = preview_tokens.read(query.token)
    except InvalidPreviewToken as error:
        raise HttpError(403, str(error)) from error
    if grant.page_id != page_id:
        raise Http404("This preview token is for another page.")
    revision = get_object_or_404(Revision.objects.page_revisions(), pk=grant.revision_id, object_id=str(page_id))
    post = revision.as_object()
    if not isinstance(post, BlogPostPage):
        raise Http404("Headless preview serves blog posts.")
    return post_response(request, post, is_preview=True)
