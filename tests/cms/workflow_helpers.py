"""Admin form data for blog posts and the people of the review workflow."""

import uuid

from django.contrib.auth.models import Group, User
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.review.roles import EDITORIAL_LEADS, EDITORS, MEDICAL_REVIEWERS, SHOP_MANAGERS

from .. import factories


def make_user(username, group_name=None, superuser=False):
    user = User.objects.create_user(username, f"{username}@example.com", "pw", is_superuser=superuser)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def make_team():
    reviewer = make_user("reviewer", MEDICAL_REVIEWERS)
    expert = factories.make_expert(name="Ana Reyes", credentials="MD", slug="ana-reyes", user=reviewer)
    # Approving the medical step needs a verified, current credential (cms/review/credentials.py).
    factories.make_credential(expert, title="MD")
    return {
        "editor": make_user("editor", EDITORS),
        "lead": make_user("lead", EDITORIAL_LEADS),
        "reviewer": reviewer,
        "shop": make_user("shop", SHOP_MANAGERS),
        "admin": make_user("admin", superuser=True),
    }


def list_data(ids):
    return {
        "count": len(ids),
        **{str(i): {"value": pk, "deleted": "", "order": i, "id": str(uuid.uuid4())} for i, pk in enumerate(ids)},
    }


def body_data(blocks):
    """StreamField form data; `blocks` are (type, value, id) with values as the admin form posts them."""
    data = {"count": len(blocks)}
    for i, (block_type, value, block_id) in enumerate(blocks):
        data[str(i)] = {"type": block_type, "deleted": "", "order": i, "id": block_id, "value": value}
    return data


def claim_block(statement, sources, block_id=None):
    return (
        "claim",
        {"statement": statement, "sources": list_data([s.pk for s in sources])},
        block_id or str(uuid.uuid4()),
    )


def post_form(title, slug, blocks, action=None):
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "dek": "A dek",
            "hero_image_alt": "",
            "tags": "",
            "body": body_data(blocks),
            "shop_the_story": {"count": 0},
            "authors": inline_formset([]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
        }
    )
    if action:
        data[action] = "1"
    return data
