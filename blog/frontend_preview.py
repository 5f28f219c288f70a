"""The admin's "Preview on the frontend": mint a preview token for the post's latest revision and open
the headless frontend with it (VERITY_FRONTEND_PREVIEW_URL), or the preview JSON when none is set."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from wagtail.models import Page

from cms import preview_tokens

from .models import BlogPostPage


def frontend_preview(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    post = page.specific
    revision = post.get_latest_revision()
    if not isinstance(post, BlogPostPage) or revision is None:
        raise Http404
    token = preview_tokens.mint(revision)
    frontend = getattr(settings, "VERITY_FRONTEND_PREVIEW_URL", "")
    if frontend:
        return redirect(f"{frontend}?{urlencode({'page': post.pk, 'token': token})}")
    return redirect(f"/api/v3/preview/{post.pk}/?{urlencode({'token': token})}")
