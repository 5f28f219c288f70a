import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from blog.models import BlogIndexPage
from cms.models import HomePage
from shop.models import ShopIndexPage

from .factories import add_page
from .module_db import rolled_back_after_module


@pytest.fixture(autouse=True)
def media_in_tmp(request, settings, tmp_path):
    if "demo_for_module" in request.fixturenames:  # the module's demo images must outlive a single test
        settings.MEDIA_ROOT = request.getfixturevalue("demo_for_module")
    else:
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
    call_command("load_demo", stdout=io.StringIO())
    return HomePage.objects.get()


@pytest.fixture(scope="module")
def demo_for_module(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for a module whose tests all read it, in a transaction rolled back after the
    module; each test runs in a savepoint inside it (pytest-django's `db`), so what one test changes the next
    does not see. A module opts in by defining `demo` as `shared_demo`. Yields the demo's media folder."""
    media = tmp_path_factory.mktemp("demo-media")
    with rolled_back_after_module(django_db_blocker):
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
            call_command("load_demo", stdout=io.StringIO())
        yield media
    cache.clear()


@pytest.fixture
def shared_demo(demo_for_module, db):
    """What `demo` gives, from the module's one load (demo_for_module)."""
    return HomePage.objects.get()
