"""The editorial roles as Django groups, with the Wagtail permissions each one holds.

`ensure_roles()` is idempotent: run it again and each group ends with exactly these permissions.
"""

from django.apps import apps as django_apps

EDITORS = "Editors"
EDITORIAL_LEADS = "Editorial leads"
MEDICAL_REVIEWERS = "Medical reviewers"
SHOP_MANAGERS = "Shop managers"

# Page permission types on the root page, inherited by the whole tree.
PAGE_PERMISSIONS = {
    EDITORS: ["add", "change"],
    EDITORIAL_LEADS: ["add", "change", "publish", "lock", "unlock"],
    # Wagtail publishes an approved post as the user who gives the last approval, so the medical
    # reviewers hold "publish"; hooks keep them from publishing or unpublishing anything directly.
    MEDICAL_REVIEWERS: ["publish"],
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
    SHOP_MANAGERS: [],
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
    root_collection = Collection.objects.get(depth=1)
    access_admin = permission("wagtailadmin.access_admin")
    groups = {}
    for name, page_permissions in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([access_admin, *(permission(p) for p in MODEL_PERMISSIONS[name])])
        GroupPagePermission.objects.filter(group=group).delete()
        for permission_type in page_permissions:
            GroupPagePermission.objects.create(group=group, page=root_page, permission=page_permission(permission_type))
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in IMAGE_PERMISSIONS[name]:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=permission(f"wagtailimages.{codename}")
            )
        groups[name] = group
    return groups
