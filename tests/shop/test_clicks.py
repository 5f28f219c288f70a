"""Clicks from shop modules: counted through our redirect, forwarded to the store only, and reported."""

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shop.clicks import tracked_url
from shop.models import ShopClick

from .. import factories
from ..cms.workflow_helpers import make_user
from ..html import get_soup

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


@pytest.fixture
def products(shop):
    return {
        "lube": factories.make_product(shop, title="Lube", buy_url="https://shop.example.com/products/lube"),
        "oil": factories.make_product(shop, title="Oil", variant_ids=[41002], price=Decimal("24")),
        "cards": factories.make_product(shop, title="Cards", variant_ids=[41004], price=Decimal("20")),
    }


@pytest.fixture
def bundle(shop, products):
    return factories.make_collection(
        shop, [products["oil"], products["cards"]], title="Aftercare Bundle", bundle_price=Decimal("40")
    )


@pytest.fixture
def post(blog, products, bundle):
    return factories.make_post(
        blog,
        slug="cry-after-sex",
        body=[factories.products_block([products["lube"]])],
        shop_the_story=[{"type": "collection", "value": bundle.pk}, {"type": "product", "value": products["oil"].pk}],
    )


def click(client, url, user_agent=BROWSER):
    return client.get(url, HTTP_USER_AGENT=user_agent)


def test_every_shop_module_link_on_the_post_goes_through_the_redirect(client, post, products, bundle):
    soup = get_soup(client, post.url)
    links = {a["href"] for a in soup.select(".inline-products a.shop-card__buy, .shop-the-story a.button")}
    assert links == {
        tracked_url(post, "shop-now", products["lube"]),
        tracked_url(post, "shop-the-story", bundle),
        tracked_url(post, "shop-the-story", products["oil"]),
    }
    assert all(a.get("rel") == ["nofollow"] for a in soup.select("a[href^='/shop/go/']"))


def test_a_click_is_counted_and_forwarded_with_campaign_parameters(client, post, products):
    response = click(client, tracked_url(post, "shop-now", products["lube"]))

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "shop.example.com", "/products/lube")
    assert parse_qs(target.query) == {
        "utm_source": ["verity"],
        "utm_medium": ["shop-module"],
        "utm_campaign": ["cry-after-sex"],
        "utm_content": ["shop-now"],
    }
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.cookies
    row = ShopClick.objects.get()
    assert (row.post_id, row.module, row.target_id, row.day, row.count) == (
        post.pk,
        "shop-now",
        products["lube"].pk,
        timezone.localdate(),
        1,
    )


def test_clicks_add_up_per_post_module_target_and_day(client, post, products, bundle):
    for _ in range(3):
        click(client, tracked_url(post, "shop-now", products["lube"]))
    click(client, tracked_url(post, "shop-the-story", bundle))
    click(client, tracked_url(post, "shop-the-story", products["oil"]))

    counts = {(c.module, c.target_id): c.count for c in ShopClick.objects.all()}
    assert counts == {
        ("shop-now", products["lube"].pk): 3,
        ("shop-the-story", bundle.pk): 1,
        ("shop-the-story", products["oil"].pk): 1,
    }


def test_the_bundle_click_lands_on_its_cart(client, post, bundle):
    location = click(client, tracked_url(post, "shop-the-story", bundle))["Location"]
    assert location.startswith("https://shop.example.com/cart/41002:1,41004:1?utm_source=verity")


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/131.0",
    ],
)
def test_bots_are_forwarded_but_not_counted(client, post, products, user_agent):
    assert click(client, tracked_url(post, "shop-now", products["lube"]), user_agent).status_code == 302
    assert not ShopClick.objects.exists()


def test_nothing_about_the_reader_is_kept(client, post, products):
    click(client, tracked_url(post, "shop-now", products["lube"]))
    fields = {field.name for field in ShopClick._meta.get_fields()}
    assert fields == {"id", "post", "module", "target", "day", "count"}


class TestForeignTargetsAreRefused:
    def test_a_product_the_post_does_not_show(self, client, shop, post):
        other = factories.make_product(shop, title="Other")
        assert click(client, tracked_url(post, "shop-now", other)).status_code == 404

    def test_a_product_under_another_module(self, client, post, products):
        assert click(client, tracked_url(post, "shop-the-story", products["lube"])).status_code == 404
        assert click(client, tracked_url(post, "made-up", products["lube"])).status_code == 404

    def test_a_product_whose_buy_url_is_on_another_host(self, client, blog, shop):
        evil = factories.make_product(shop, buy_url="https://evil.example.net/products/x")
        post = factories.make_post(blog, body=[factories.products_block([evil])])
        assert click(client, tracked_url(post, "shop-now", evil)).status_code == 404

    @pytest.mark.parametrize(
        "buy_url",
        [
            "https://shop.example.com@evil.example.net/",
            "https://shop.example.com.evil.example.net/",
            "http://shop.example.com/products/x",
            "https://shop.example.com:8443/products/x",
            "https://evil.example.net/?https://shop.example.com/",
        ],
    )
    def test_look_alike_store_addresses(self, client, blog, shop, buy_url):
        product = factories.make_product(shop, buy_url=buy_url)
        post = factories.make_post(blog, body=[factories.products_block([product])])
        assert click(client, tracked_url(post, "shop-now", product)).status_code == 404

    def test_a_post_that_is_not_live(self, client, post, products):
        post.unpublish()
        assert click(client, tracked_url(post, "shop-now", products["lube"])).status_code == 404

    def test_a_target_in_the_query_string_is_ignored(self, client, post, products):
        url = tracked_url(post, "shop-now", products["lube"]) + "?next=https://evil.example.net/&url=//evil.example.net"
        assert urlsplit(click(client, url)["Location"]).netloc == "shop.example.com"

    @pytest.mark.parametrize(
        "path",
        [
            "/shop/go/1/shop-now/https://evil.example.net/",
            "/shop/go/1/shop-now//evil.example.net/",
            "/shop/go/abc/shop-now/1/",
            "/shop/go/99999/shop-now/99999/",
            "/shop/go/1/%2F%2Fevil.example.net/1/",
        ],
    )
    def test_made_up_paths(self, client, post, path):
        response = click(client, path)
        assert response.status_code == 404
        assert "evil" not in response.get("Location", "")

    def test_an_unavailable_product(self, client, post, products):
        lube = products["lube"]
        lube.availability = "out_of_stock"
        lube.save_revision().publish()
        assert click(client, tracked_url(post, "shop-now", lube)).status_code == 404

    def test_a_post_is_refused_a_write(self, client, post, products):
        assert client.post(tracked_url(post, "shop-now", products["lube"])).status_code == 404
        assert not ShopClick.objects.exists()


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("admin", superuser=True))
    return client


def add_clicks(post, module, target, days_ago, count):
    ShopClick.objects.create(
        post=post, module=module, target=target, day=timezone.localdate() - timedelta(days=days_ago), count=count
    )


def test_the_report_shows_clicks_per_post_and_module_with_a_chart(admin_client, post, products, bundle):
    add_clicks(post, "shop-now", products["lube"], 0, 5)
    add_clicks(post, "shop-now", products["lube"], 2, 2)
    add_clicks(post, "shop-the-story", bundle, 1, 4)
    add_clicks(post, "shop-the-story", bundle, 40, 100)  # outside the last 30 days

    soup = get_soup(admin_client, reverse("verity_shop_clicks"))

    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("table.listing tbody tr")]
    assert rows == [[post.title, "shop-now", "7"], [post.title, "shop-the-story", "4"]]
    chart = json.loads(soup.select_one("#shop-clicks-data").string)
    assert len(chart["labels"]) == 30 and chart["labels"][-1] == timezone.localdate().isoformat()
    series = {s["label"]: s["data"] for s in chart["series"]}
    assert series[f"{post.title} · shop-now"][-1] == 5 and series[f"{post.title} · shop-now"][-3] == 2
    assert sum(series[f"{post.title} · shop-the-story"]) == 4
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert any(src.endswith("vendor/chartjs/chart.umd.min.js") for src in scripts), "served by the project"

    ninety = get_soup(admin_client, reverse("verity_shop_clicks") + "?days=90")
    assert [td.get_text(strip=True) for td in ninety.select("table.listing tbody tr")[0].select("td")][2] == "104"


def test_the_report_exports_csv(admin_client, post, products):
    add_clicks(post, "shop-now", products["lube"], 0, 5)
    response = admin_client.get(reverse("verity_shop_clicks") + "?export=csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Post", "Module", "Clicks", "From", "To"]
    assert rows[1][:3] == [post.title, "shop-now", "5"]


def test_a_formula_in_a_title_is_exported_as_text(admin_client, blog, products):
    post = factories.make_post(blog, title="=HYPERLINK(1)", body=[factories.products_block([products["lube"]])])
    add_clicks(post, "shop-now", products["lube"], 0, 1)
    rows = list(
        csv.reader(io.StringIO(admin_client.get(reverse("verity_shop_clicks") + "?export=csv").content.decode()))
    )
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_report_reads_in_a_fixed_number_of_queries(admin_client, blog, products):
    def report_queries(posts):
        for n in range(posts):
            post = factories.make_post(blog, body=[factories.products_block([products["lube"]])])
            for day in range(5):
                add_clicks(post, "shop-now", products["lube"], day, n + 1)
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("verity_shop_clicks")).status_code == 200
        return len(queries)

    assert report_queries(1) == report_queries(5)


def test_the_report_is_for_the_admin_only(client, post):
    assert client.get(reverse("verity_shop_clicks")).status_code == 302
