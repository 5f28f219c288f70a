"""Only administrators link an expert profile to a user account: that link names the public reviewer."""

from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from cms.models import Expert

from .. import factories
from .workflow_helpers import make_team


def edit_url(expert):
    return reverse("wagtailsnippets_cms_expert:edit", args=[expert.pk])


def test_an_editor_sees_no_account_field_and_cannot_link_an_account(client, db):
    team = make_team()
    expert = factories.make_expert(slug="quoted-expert")
    client.force_login(team["editor"])
    form_html = client.get(edit_url(expert)).content.decode()
    assert 'name="user"' not in form_html
    data = {
        "honorific": "Dr.",
        "name": expert.name,
        "credentials": "MD",
        "slug": expert.slug,
        "specialty": "",
        "affiliation": "",
        "bio": rich_text("<p>Bio</p>"),
        "user": team["reviewer"].pk,
    }
    response = client.post(edit_url(expert), data)
    assert response.status_code == 302  # the save went through, without the account
    expert = Expert.objects.get(pk=expert.pk)
    assert expert.user_id is None and "Bio" in expert.get_latest_revision_as_object().bio


def test_an_administrator_links_a_reviewer_account(client, db):
    team = make_team()
    expert = factories.make_expert(slug="new-reviewer")
    client.force_login(team["admin"])
    assert 'name="user"' in client.get(edit_url(expert)).content.decode()
