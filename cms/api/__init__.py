"""The headless API: Wagtail 8's API v3 (django-ninja), extended with Verity's own routers.

    common.py       what every read endpoint shares: limits, pagination, path parameters, problems, search
    schemas.py      the typed responses, serializers.py the JSON they are built from
    people.py       experts and sources;  home.py  the home page
    workflow.py     the editorial workflow over HTTP
    routers.py      `mount`, which adds routers to Wagtail's `api`

The posts and previews (blog/api/), products and collections (shop/api.py) live with their apps;
cms/urls.py mounts every router.
"""
