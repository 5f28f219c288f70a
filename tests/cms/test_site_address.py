"""The default Site names the public address, so canonical links and the sitemap point where readers go."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Site

from cms.site_address import public_host_and_port


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("https://verity.example.com", ("verity.example.com", 443)),
        ("http://127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("http://shop.example.org", ("shop.example.org", 80)),
    ],
)
def test_public_host_and_port_come_from_the_base_url(base_url, expected):
    assert public_host_and_port(base_url) == expected


def test_configure_site_points_the_default_site_and_its_links_at_the_public_address(client, settings, blog):
    settings.WAGTAILADMIN_BASE_URL = "https://verity.example.com"
    call_command("configure_site", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("verity.example.com", 443)

    # The public address differs from the test client's host, so ask for the page by that name.
    response = client.get("/blog/", HTTP_HOST="verity.example.com", secure=True)
    assert response.status_code == 200
    canonical = BeautifulSoup(response.content, "html.parser").find("link", rel="canonical")["href"]
    assert canonical == "https://verity.example.com/blog/"
    sitemap = client.get("/sitemap.xml", HTTP_HOST="verity.example.com", secure=True).content.decode()
    assert "https://verity.example.com/blog/" in sitemap and "localhost" not in sitemap
