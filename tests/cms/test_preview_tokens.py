"""Preview tokens: signed, scoped to one page revision, expiring."""

import time
from unittest import mock

import pytest
from django.core import signing

from cms import preview_tokens
from cms.preview_tokens import InvalidPreviewToken

from .. import factories


@pytest.fixture
def draft(blog):
    return factories.make_post(blog, title="Secret draft", live=False)


def test_a_token_grants_its_page_and_revision(draft):
    revision = draft.get_latest_revision()
    grant = preview_tokens.read(preview_tokens.mint(revision))
    assert (grant.page_id, grant.revision_id) == (draft.pk, revision.pk)


def test_a_tampered_token_is_refused(draft):
    token = preview_tokens.mint(draft.get_latest_revision())
    with pytest.raises(InvalidPreviewToken, match="not valid"):
        preview_tokens.read(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))


def test_a_token_signed_for_something_else_is_refused(draft):
    forged = signing.dumps({"page": draft.pk, "revision": 1}, salt="another.purpose")
    with pytest.raises(InvalidPreviewToken):
        preview_tokens.read(forged)


def test_a_token_expires_after_an_hour_unless_configured_longer(draft, settings):
    token = preview_tokens.mint(draft.get_latest_revision())
    an_hour_later = time.time() + 3601  # Django's signer reads the clock through time.time
    with mock.patch("time.time", return_value=an_hour_later), pytest.raises(InvalidPreviewToken, match="expired"):
        preview_tokens.read(token)
    settings.VERITY_PREVIEW_TOKEN_MAX_AGE = 7200
    with mock.patch("time.time", return_value=an_hour_later):
        assert preview_tokens.read(token).page_id == draft.pk
