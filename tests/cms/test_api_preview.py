"""Headless preview: a signed token reads one revision of one post; nothing else."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import APIToken

from blog.models import BlogPostPage
from cms import preview_tokens

from .. import factories
from .workflow_helpers import make_team


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()  # throttling counts requests in the cache


@pytest.fixture
def team(db):
    return make_team()


@pytest.fixture
def draft(blog):
    return factories.make_post(
        blog, title="Draft title", body=[factories.claim([factories.make_source()], "Draft claim.")], live=False
    )


def preview(client, page_id, token):
    return client.get(f"/api/v3/preview/{page_id}/", {"token": token})


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='test')[1]}"}


def test_a_valid_token_returns_that_revisions_json(client, draft):
    response = preview(client, draft.pk, preview_tokens.mint(draft.get_latest_revision()))
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Draft title"
    assert [block["statement"] for block in data["body"] if block["type"] == "claim"] == ["Draft claim."]


def test_the_token_shows_its_own_revision_not_a_later_one(client, draft):
    token = preview_tokens.mint(draft.get_latest_revision())
    draft.title = "Edited later"
    draft.save_revision()
    assert preview(client, draft.pk, token).json()["title"] == "Draft title"


def test_an_expired_token_is_refused(client, draft):
    token = preview_tokens.mint(draft.get_latest_revision())
    with mock.patch("time.time", return_value=time.time() + 3601):
        response = preview(client, draft.pk, token)
    assert response.status_code == 403
    assert "expired" in response.json()["detail"]


def test_a_tampered_token_is_refused(client, draft):
    token = preview_tokens.mint(draft.get_latest_revision())
    response = preview(client, draft.pk, token[:-3] + "xyz")
    assert response.status_code == 403
    assert "Draft title" not in response.content.decode()


def test_a_token_for_another_page_reads_nothing_here(client, blog, draft):
    other = factories.make_post(blog, title="Other draft", live=False)
    response = preview(client, draft.pk, preview_tokens.mint(other.get_latest_revision()))
    assert response.status_code == 404
    assert "Other draft" not in response.content.decode()


def test_a_token_for_a_revision_of_another_page_is_not_found(client, blog, draft):
    other = factories.make_post(blog, title="Other draft", live=False)
    forged_grant = {"page": draft.pk, "revision": other.get_latest_revision().pk}
    from django.core import signing

    token = signing.dumps(forged_grant, salt=preview_tokens.SALT, compress=True)
    assert preview(client, draft.pk, token).status_code == 404


def test_the_public_api_never_returns_the_draft(client, draft):
    assert client.get(f"/api/v3/posts/{draft.pk}/").status_code == 404
    assert client.get("/api/v3/posts/").json()["count"] == 0


def test_editors_mint_tokens_for_pages_they_may_edit(client, team, draft):
    response = client.post(f"/api/v3/preview/{draft.pk}/token/", **bearer(team["editor"]))
    assert response.status_code == 201
    token = response.json()["token"]
    assert preview(client, draft.pk, token).json()["title"] == "Draft title"


@pytest.mark.parametrize("role", ["shop", "reviewer"])
def test_people_who_may_not_edit_the_post_get_no_token(client, team, draft, role):
    response = client.post(f"/api/v3/preview/{draft.pk}/token/", **bearer(team[role]))
    assert response.status_code == 403
    assert "may not edit" in response.json()["detail"]


def test_minting_needs_a_valid_bearer_token(client, draft):
    assert client.post(f"/api/v3/preview/{draft.pk}/token/").status_code == 401
    assert client.post(f"/api/v3/preview/{draft.pk}/token/", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_the_preview_endpoint_is_throttled(client, draft, settings):
    token = preview_tokens.mint(draft.get_latest_revision())
    allowed = int(settings.VERITY_API_PREVIEW_RATE.split("/")[0])
    statuses = [preview(client, draft.pk, token + "x").status_code for _ in range(allowed)]
    assert set(statuses) == {403}  # bad tokens count too: guessing is throttled
    response = preview(client, draft.pk, token)
    assert response.status_code == 429
    assert response.json()["detail"] == "Too many requests."


def test_the_admin_opens_the_preview_on_the_frontend(client, team, draft, settings):
    client.force_login(team["editor"])
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert reverse("verity_frontend_preview", args=[draft.pk]) in edit_page
    settings.VERITY_FRONTEND_PREVIEW_URL = "https://frontend.example.com/preview"
    response = client.get(reverse("verity_frontend_preview", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url.startswith(f"https://frontend.example.com/preview?page={draft.pk}&token=")
    token = parse_qs(urlsplit(response.url).query)["token"][0]
    assert preview_tokens.read(token).revision_id == BlogPostPage.objects.get(pk=draft.pk).latest_revision_id


def test_the_admin_refuses_a_preview_link_to_those_who_may_not_edit(client, team, draft):
    client.force_login(team["shop"])
    response = client.get(reverse("verity_frontend_preview", args=[draft.pk]))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
