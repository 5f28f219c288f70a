"""The posts the site lists outside the blog (the home page, expert profiles), from whichever app has
them: the blog registers its listing through the `verity_post_listing` hook (blog/wagtail_hooks.py), so
the core names no app's page type."""

from wagtail import hooks

POST_LISTING_HOOK = "verity_post_listing"


def post_listings():
    """Querysets of live, public posts, newest first, with what their cards show: one per app with posts."""
    return [listing() for listing in hooks.get_hooks(POST_LISTING_HOOK)]
