"""Signed preview tokens: read access to one revision of one page, for a limited time.

A token carries the page id and revision id, signed with SECRET_KEY and timestamped, so it cannot be
altered or reused for another page or revision, and it expires (one hour by default).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "verity.preview-token"


class InvalidPreviewToken(Exception):
    """The token is malformed, tampered with, or expired."""


@dataclass(frozen=True)
class PreviewGrant:
    page_id: int
    revision_id: int


def max_age():
    return settings.VERITY_PREVIEW_TOKEN_MAX_AGE


def mint(revision):
    """A token for this page revision."""
    return signing.dumps({"page": int(revision.object_id), "revision": revision.pk}, salt=SALT, compress=True)


def read(token):
    """The page and revision a token grants, or InvalidPreviewToken."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as error:
        raise InvalidPreviewToken("This preview token has expired.") from error
    except signing.BadSignature as error:
        raise InvalidPreviewToken("This preview token is not valid.") from error
    return PreviewGrant(page_id=data["page"], revision_id=data["revision"])
