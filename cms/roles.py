"""The editorial roles as Django groups, with the Wagtail permissions each one holds.

`ensure_roles()` is idempotent: run it again and each group ends with exactly these permissions. Shop
managers hold theirs on each shop section only; a new section gets them from `grant_shop_permissions`.
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
    # (WAGTAIL_FINISH_WORKFLOW_ACTION, cms.review_workflow.publish_approved_revision).
    MEDICAL_REVIEWERS: [],
    SHOP_MANAGERS: [],  # see SHOP_PAGE_PERMISSIONS: nothing outside the shop
}

# Page permission types on each shop section (shop.ShopIndexPage) and the products and collections in it.
SHOP_PAGE_PERMISSIONS = {
    SHOP_MANAGERS: ["add", "change", "publish"],
}

# Model permissions, as app_label.codename.
MODEL_PERMISSIONS = {
    EDITORS: ["cms.add_expert", "cms.change_expert", "cms.add_source", "cms.change_source"],
    EDITORIAL_LEADS: [
        "cms.add_expert",
        "cms.change_expert",
        "cms.publish_expert",
        "cms.add_source",
        "cms.change_source",
        "cms.publish_source",
    ],
    MEDICAL_REVIEWERS: [],
    SHOP_MANAGERS: [],  # see SHOP_PAGE_PERMISSIONS: nothing outside the shop
}

# Image permissions on the root collection.
IMAGE_PERMISSIONS = {
    EDITORS: ["add_image", "choose_image", "change_image"],
    EDITORIAL_LEADS: ["add_image", "choose_image", "change_image"],
    MEDICAL_REVIEWERS: ["choose_image"],
    SHOP_MANAGERS: ["add_image", "choose_image", "change_image"],
}


def ensure_roles(apps=django_apps):
    """Create or reset every role's group; returns them by name.

    `apps` is the app registry: the live one, or a migration's historical one.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    ContentType = apps.get_model("contenttypes", "ContentType")

    def permission(dotted):
        app_label, codename = dotted.split(".")
        found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if found:
            return found
        # Wagtail adds snippets' publish and lock permissions after migrating; a migration makes them itself.
        action, model = codename.split("_", 1)
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        return Permission.objects.create(content_type=content_type, codename=codename, name=f"Can {action} {model}")

    def page_permission(permission_type):
        return permission(f"wagtailcore.{permission_type}_page")

    root_page = Page.objects.get(depth=1)
    shop_sections = shop_section_ids(apps)
    root_collection = Collection.objects.get(depth=1)
    access_admin = permission("wagtailadmin.access_admin")
    groups = {}
    for name, page_permissions in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([access_admin, *(permission(p) for p in MODEL_PERMISSIONS[name])])
        GroupPagePermission.objects.filter(group=group).delete()
        for permission_type in page_permissions:
            GroupPagePermission.objects.create(group=group, page=root_page, permission=page_permission(permission_type))
        for permission_type in SHOP_PAGE_PERMISSIONS.get(name, []):
            for page_id in shop_sections:
                GroupPagePermission.objects.create(
                    group=group, page_id=page_id, permission=page_permission(permission_type)
                )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in IMAGE_PERMISSIONS[name]:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=permission(f"wagtailimages.{codename}")
            )
        groups[name] = group
    return groups


def shop_section_ids(apps):
    try:
        ShopIndexPage = apps.get_model("shop", "ShopIndexPage")
    except LookupError:  # an early migration, before the shop app's
        return []
    return list(ShopIndexPage.objects.values_list("pk", flat=True))


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
