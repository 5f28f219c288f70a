"""Cursor pagination of the post lists (`?after=`): pages cut by the last post seen, not by an offset.

A cursor names the last post of a page by its sort key, (first_published_at, id), and the next page is the
posts strictly after that key in the list's order: a keyset, which the index on the publication date serves
at any depth (an OFFSET sorts and skips every post before the page). Posts published meanwhile sort before
the cursor in the newest-first order and never shift the pages still to come, nor does an unpublished one
(`after` compares keys, not positions). A cursor is opaque to clients: URL-safe base64 of the key.
"""

import base64
import binascii
from datetime import datetime

from django.db.models import Q
from ninja.errors import HttpError

# The orders a cursor can follow: their sort key is (first_published_at, id), descending or ascending.
CURSOR_ORDERS = {"newest": "desc", "oldest": "asc"}


def encode(post):
    key = f"{post.first_published_at.isoformat()}|{post.pk}"
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode(cursor):
    try:
        published, _, pk = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition("|")
        return datetime.fromisoformat(published), int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise HttpError(400, "`after` is not a cursor of this list: pass the `next` of the previous page.") from None


def after(posts, cursor, order):
    """The posts after the cursor in `order` (newest or oldest)."""
    published, pk = decode(cursor)
    if CURSOR_ORDERS[order] == "desc":
        return posts.filter(Q(first_published_at__lt=published) | Q(first_published_at=published, pk__lt=pk))
    return posts.filter(Q(first_published_at__gt=published) | Q(first_published_at=published, pk__gt=pk))
