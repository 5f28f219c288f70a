"""The editorial roles as Django groups, with the Wagtail permissions each one holds.

`ensure_roles()` is idempotent: run it again and each group ends with exactly these permissions. It runs
after every `migrate` (cms/review/post_migrate.py), not in a migration, so no migration changes when this module
does. Shop managers hold theirs on each shop section only; a new section gets them from
`grant_shop_permissions`. Models are imported inside the functions: Wagtail imports cms.review.workflow,
and so this module, while it loads its models.
"""

from django.apps import apps as django_apps

EDITORS = "Editors"
EDITORIAL_LEADS = "Editorial leads"
MEDICAL_REVIEWERS = "Medical reviewers"
SHOP_MANAGERS = "Shop managers"

# Page permission types on the root page, inherited by the whole tree. Without "publish", Wagtail refuses
# editors publishing, scheduling, unpublishing and deleting live pages.
PAGE_PERMISSIONS = {
    EDITORS: ["add", "change"],
    EDITORIAL_LEADS: ["add", "change", "publish", "lock", "unlock"],
    # Medical reviewers act only through their workflow step, which opens the post under review to
    # them; the workflow's last approval publishes without the approver's own publish permission
    # (WAGTAIL_FINISH_WORKFLOW_ACTION, cms.review.workflow.publish_approved_revision).
    MEDICAL_REVIEWERS: [],
    SHOP_MANAGERS: [],  # see SHOP_PAGE_PERMISSIONS: nothing outside the shop
}

# Page permission types on each shop section (shop.ShopIndexPage) and the products and collections in it.
SHOP_PAGE_PERMISSIONS = {
    SHOP_MANAGERS: ["add", "change", "publish"],
}

# Everyone may make, rename and revoke their own API tokens, in the admin (Settings -> API tokens); a token acts
# with its user's permissions. Managing other users' tokens takes Wagtail's change_user permission.
API_TOKEN_PERMISSIONS = [f"wagtailcore.{action}_apitoken" for action in ("add", "change", "delete", "view")]

# Model permissions, as app_label.codename. Nobody but a superuser holds publish_expert or publish_source:
# Wagtail lets whoever may publish skip the workflow, and an expert's credentials (the public trust line)
# and a source go live only through "Expert and source review" (cms/review/workflow.py), whose medical
# reviewers approve from the workflow step, and whose last approval publishes.
MODEL_PERMISSIONS = {
    EDITORS: ["cms.add_expert", "cms.change_expert", "cms.add_source", "cms.change_source", *API_TOKEN_PERMISSIONS],
    EDITORIAL_LEADS: [
        "cms.add_expert",
        "cms.change_expert",
        "cms.add_source",
        "cms.change_source",
        # The crisis lines and services per country that the "get help" blocks list (cms/models/help_resources.py).
        "cms.add_helpresource",
        "cms.change_helpresource",
        "cms.delete_helpresource",
        *API_TOKEN_PERMISSIONS,
    ],
    MEDICAL_REVIEWERS: [*API_TOKEN_PERMISSIONS],
    SHOP_MANAGERS: [*API_TOKEN_PERMISSIONS],  # and see SHOP_PAGE_PERMISSIONS: nothing else outside the shop
}

# Image permissions on the root collection.
IMAGE_PERMISSIONS = {
    EDITORS: ["add_image", "choose_image", "change_image"],
    EDITORIAL_LEADS: ["add_image", "choose_image", "change_image"],
    MEDICAL_REVIEWERS: ["choose_image"],
    SHOP_MANAGERS: ["add_image", "choose_image", "change_image"],
}


def ensure_roles():
    """Create or reset every role's group to exactly the permissions above; returns them by name.

    Runs after every `migrate` (cms/review/post_migrate.py), so a role means the same on every install: what an
    admin adds to these four groups by hand is taken away again; other groups are left alone. Rows that are
    already right are kept, so running it again changes nothing.
    """
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    permissions = permissions_by_name()
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    shop_sections = list(django_apps.get_model("shop", "ShopIndexPage").objects.values_list("pk", flat=True))
    groups = {}
    for name, page_permissions in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [permissions["wagtailadmin.access_admin"], *(permissions[p] for p in MODEL_PERMISSIONS[name])]
        )
        page_grants = {(root_page.pk, permissions[f"wagtailcore.{t}_page"]) for t in page_permissions}
        for permission_type in SHOP_PAGE_PERMISSIONS.get(name, []):
            page_grants |= {(pk, permissions[f"wagtailcore.{permission_type}_page"]) for pk in shop_sections}
        _set_grants(GroupPagePermission, group, "page_id", page_grants)
        collection_grants = {(root_collection.pk, permissions[f"wagtailimages.{c}"]) for c in IMAGE_PERMISSIONS[name]}
        _set_grants(GroupCollectionPermission, group, "collection_id", collection_grants)
        groups[name] = group
    return groups


def permissions_by_name():
    """Every permission the roles name, by app_label.codename; a name that matches none is an error."""
    from django.contrib.auth.models import Permission

    names = {"wagtailadmin.access_admin"}
    names.update(p for model_permissions in MODEL_PERMISSIONS.values() for p in model_permissions)
    page_types = [*PAGE_PERMISSIONS.values(), *SHOP_PAGE_PERMISSIONS.values()]
    names.update(f"wagtailcore.{t}_page" for types in page_types for t in types)
    names.update(f"wagtailimages.{c}" for codenames in IMAGE_PERMISSIONS.values() for c in codenames)
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(codename__in={n.split(".")[1] for n in names}).select_related("content_type")
    }
    missing = sorted(names - found.keys())
    if missing:
        # Django and Wagtail create permissions after migrating (post_migrate); roles are set up after them.
        raise LookupError(f"Roles name permissions that do not exist: {', '.join(missing)}")
    return {name: found[name] for name in names}


def _set_grants(model, group, target_field, wanted):
    """Make group's rows of model exactly `wanted`, a set of (target id, permission)."""
    existing = {(getattr(row, target_field), row.permission_id): row.pk for row in model.objects.filter(group=group)}
    wanted_keys = {(target_id, permission.pk) for target_id, permission in wanted}
    model.objects.filter(pk__in=[pk for key, pk in existing.items() if key not in wanted_keys]).delete()
    for target_id, permission in wanted:
        if (target_id, permission.pk) not in existing:
            model.objects.create(group=group, permission=permission, **{target_field: target_id})


def grant_shop_permissions(sender, instance, created, raw=False, **kwargs):
    """A new shop section is managed by the shop managers (post_save of ShopIndexPage)."""
    if not created or raw:
        return
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    for name, permission_types in SHOP_PAGE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for permission_type in permission_types:
            permission = Permission.objects.get(
                codename=f"{permission_type}_page", content_type__app_label="wagtailcore"
            )
            GroupPagePermission.objects.get_or_create(group=group, page_id=instance.pk, permission=permission)
