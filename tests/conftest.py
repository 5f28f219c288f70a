import pytest
from wagtail.models import Site

from blog.models import BlogIndexPage
from cms.models import HomePage
from shop.models import ShopIndexPage

from .factories import add_page


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home(db):
    """The home page that the migrations make the default site's root."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def blog(home):
    return add_page(home, BlogIndexPage(title="Blog", slug="blog"))


@pytest.fixture
def shop(home):
    return add_page(home, ShopIndexPage(title="Shop", slug="shop"))


@pytest.fixture
def demo(db):
    """The whole demo site, built by the command an operator runs."""
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    return HomePage.objects.get()
