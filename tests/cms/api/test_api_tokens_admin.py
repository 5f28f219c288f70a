"""API tokens in the admin (Wagtail's own views, Settings -> API tokens, enabled by `wagtail.api.v3` in
INSTALLED_APPS and the roles' apitoken permissions, cms/review/roles.py): each user makes, names, sees the
last use of and revokes their own; a user manager (the admin) revokes anyone's; the token is shown once; a
token acts with its user's permissions and nothing more. Each refusal is checked by the state after it."""

import re

import pytest
from django.urls import reverse
from wagtail.models import APIToken

from ... import factories
from ..workflow_helpers import make_team

API = "/api/v3"


@pytest.fixture
def team(db):
    return make_team()


def url(name, *args):
    return reverse(f"wagtailusers_api_tokens:{name}", args=args)


def create_in_admin(client, user, name):
    """Creates a token through the admin's add view, as its form posts it; returns the plaintext shown."""
    client.force_login(user)
    form = client.get(url("add"))
    assert form.status_code == 200
    response = client.post(url("add"), {"name": name, "user": user.pk})
    assert response.status_code == 200, response.content.decode()[:1000]
    shown = re.search(r'id="api-token-value"\s+value="([^"]+)"', response.content.decode())
    assert shown, "the new token is shown"
    return shown.group(1)


@pytest.mark.parametrize("role", ["editor", "lead", "reviewer", "shop"])
def test_every_role_makes_names_and_sees_its_own_tokens(client, team, role):
    user = team[role]
    plaintext = create_in_admin(client, user, "Frontend build")
    token = APIToken.objects.get(user=user)
    assert token.name == "Frontend build" and token.revoked_at is None
    assert plaintext.startswith(token.prefix) and token.key_hash != plaintext  # only a digest is stored
    assert plaintext not in client.get(url("edit", token.pk)).content.decode()  # shown once, never again

    index = client.get(url("index")).content.decode()
    assert "Frontend build" in index and plaintext not in index
    # The settings menu leads there.
    assert url("index") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_listing_shows_the_last_use(client, team):
    plaintext = create_in_admin(client, team["editor"], "Build server")
    token = APIToken.objects.get()
    assert token.last_used_at is None
    assert "Never" in client.get(url("edit", token.pk)).content.decode()
    client.logout()
    response = client.get(f"{API}/whoami/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 200 and response.json()["user"]["username"] == "editor"
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(team["editor"])
    assert "Never" not in client.get(url("edit", token.pk)).content.decode()
    assert "Last used" in client.get(url("index")).content.decode()


def test_a_user_revokes_their_own_token_and_it_stops_working(client, team):
    plaintext = create_in_admin(client, team["editor"], "Old laptop")
    token = APIToken.objects.get()
    response = client.post(url("delete", token.pk))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    response = client.get(f"{API}/workflow/pages/1/claims/", HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert response.status_code == 401


def test_a_user_cannot_see_rename_or_revoke_another_users_token(client, team):
    other, _ = APIToken.create_token(user=team["lead"], name="Lead's script")
    client.force_login(team["editor"])
    assert "Lead&#x27;s script" not in client.get(url("index")).content.decode()
    assert "Lead's script" not in client.get(url("index")).content.decode()
    assert client.get(url("edit", other.pk)).status_code == 404
    assert client.post(url("edit", other.pk), {"name": "Hijacked"}).status_code == 404
    assert client.post(url("delete", other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.name == "Lead's script" and other.revoked_at is None


def test_a_user_cannot_make_a_token_for_someone_else(client, team):
    client.force_login(team["editor"])
    response = client.post(url("add"), {"name": "For the lead", "user": team["lead"].pk})
    assert response.status_code == 200  # the form again, with the choice refused
    assert "Select a valid choice" in response.content.decode()
    assert not APIToken.objects.exists()


def test_the_admin_revokes_anyones_token(client, team):
    token, plaintext = APIToken.create_token(user=team["editor"], name="Editor's build")
    client.force_login(team["admin"])
    assert "Editor&#x27;s build" in client.get(url("index")).content.decode()
    assert client.post(url("delete", token.pk)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(f"{API}/whoami/", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code == 401


def test_a_token_carries_its_users_permissions_and_nothing_more(client, team, blog):
    post = factories.make_post(blog, live=False, title="A draft")
    plaintext = create_in_admin(client, team["editor"], "Editor's integration")
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}
    # The editor's token submits, as the editor may, but neither publishes nor approves.
    publish = client.post(f"{API}/pages/{post.pk}/actions/publish/", **auth)
    assert publish.status_code == 403
    post.refresh_from_db()
    assert not post.live
    submit = client.post(f"{API}/workflow/pages/{post.pk}/submit/", **auth)
    assert submit.status_code == 200, submit.content.decode()
    approve = client.post(f"{API}/workflow/pages/{post.pk}/approve/", {}, content_type="application/json", **auth)
    assert approve.status_code == 403
    post.refresh_from_db()
    assert post.current_workflow_task.name == "Editorial review"
    # A session does not lend its user to the API: a logged-in admin's cookie with the editor's token is the editor.
    client.force_login(team["admin"])
    assert client.get(f"{API}/whoami/", **auth).json()["user"]["username"] == "editor"
