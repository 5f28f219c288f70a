"""The posts the site lists outside the blog (the home page, expert profiles), from whichever app has
them: the blog registers its listing through the `verity_post_listing` hook (blog/wagtail_hooks.py), so
the core names no app's page type."""

from wagtail import hooks

POST_LISTING_HOOK = "verity_post_listing"


def post_listings():
    """Querysets of live, public posts, newest first, with what their cards show: one per app with posts."""
    return [listing() for listing in hooks.get_hooks(POST_LISTING_HOOK)]


def latest_posts(limit, prefetch=()):
    """The newest `limit` posts of every listing, with any further prefetches the caller's output needs."""
    posts = [post for listing in post_listings() for post in listing.prefetch_related(*prefetch)[:limit]]
    return sorted(posts, key=lambda post: post.first_published_at, reverse=True)[:limit]
