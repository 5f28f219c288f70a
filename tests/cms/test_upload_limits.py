"""Upload limits through Wagtail's own admin views: an image over WAGTAILIMAGES_MAX_IMAGE_PIXELS (about 40
megapixels) or WAGTAILIMAGES_MAX_UPLOAD_SIZE, a document over WAGTAILDOCS_MAX_UPLOAD_SIZE, each a form error,
with no row and no file stored."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import UploadedFile

from .workflow_helpers import make_team


def png(width, height, mode="1"):
    """A PNG of width × height pixels; a blank 1-bit one of 60 MP compresses to a few KB."""
    buffer = io.BytesIO()
    PILImage.new(mode, (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture
def huge_png():
    data = png(7750, 7750)  # 60,062,500 pixels
    assert len(data) < 100_000
    return SimpleUploadedFile("huge.png", data, content_type="image/png")


def stored():
    """What an upload could leave behind: image, document and pending-upload rows, and media files."""
    root = Path(django_settings.MEDIA_ROOT)
    files = sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    return Image.objects.count(), Document.objects.count(), UploadedFile.objects.count(), files


@pytest.fixture
def editor(client, db):
    client.force_login(make_team()["editor"])
    return client


def test_the_limits_are_settings():
    assert django_settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000
    assert django_settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024
    assert django_settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * 1024 * 1024


def test_the_add_view_refuses_an_image_over_the_pixel_limit(editor, huge_png):
    before = stored()
    response = editor.post(reverse("wagtailimages:add"), {"title": "Huge", "file": huge_png})
    assert response.status_code == 200  # the form again, with its error
    errors = response.context["form"].errors["file"]
    assert any("too many pixels (60062500)" in error and "Maximum pixels 40000000" in error for error in errors), errors
    assert "too many pixels" in response.content.decode()
    assert stored() == before


def test_the_multiple_upload_view_refuses_an_image_over_the_pixel_limit(editor, huge_png):
    before = stored()
    response = editor.post(
        reverse("wagtailimages:add_multiple"), {"files[]": huge_png}, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert "too many pixels (60062500). Maximum pixels 40000000" in answer["error_message"]
    assert stored() == before


def test_an_image_within_the_limit_is_stored(editor):
    upload = SimpleUploadedFile("fine.png", png(6000, 6000), content_type="image/png")  # 36 MP
    response = editor.post(reverse("wagtailimages:add"), {"title": "Fine", "file": upload})
    assert response.status_code == 302, response.context["form"].errors
    assert Image.objects.get(title="Fine").width == 6000


def test_an_image_over_the_upload_size_is_refused(editor, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 2000
    noisy = PILImage.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))  # incompressible
    buffer = io.BytesIO()
    noisy.save(buffer, format="PNG")
    data = buffer.getvalue()
    assert len(data) > 2000
    before = stored()
    for url, fields in [
        (reverse("wagtailimages:add"), lambda f: {"title": "Big", "file": f}),
        (reverse("wagtailimages:add_multiple"), lambda f: {"files[]": f}),
    ]:
        upload = SimpleUploadedFile("big.png", data, content_type="image/png")
        response = editor.post(url, fields(upload), headers={"X-Requested-With": "XMLHttpRequest"})
        assert response.status_code == 200
        assert "This file is too big" in response.content.decode()
    assert stored() == before


def test_a_document_over_the_upload_size_is_refused(client, db, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    client.force_login(make_team()["admin"])
    before = stored()
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n" + b"0" * 2000, content_type="application/pdf")
    response = client.post(reverse("wagtaildocs:add"), {"title": "Report", "file": upload})
    assert response.status_code == 200
    assert "This file is too big" in response.content.decode()
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n" + b"0" * 2000, content_type="application/pdf")
    response = client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload}, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    assert response.json()["success"] is False and "too big" in response.json()["error_message"]
    assert stored() == before
