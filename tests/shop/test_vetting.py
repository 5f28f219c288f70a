"""A product's vetting — who checked it is fit to recommend, and when — set in the admin's Vetting panel."""

import datetime

import pytest
from django.urls import reverse

from cms.review.roles import SHOP_MANAGERS

from .. import factories
from ..admin_forms import assert_saved, form_data
from ..cms.workflow_helpers import make_user


@pytest.fixture
def shop_manager(db):
    return make_user("shop", SHOP_MANAGERS)


def test_a_new_product_is_not_vetted(shop):
    product = factories.make_product(shop)

    assert (product.vetted_by, product.vetted_on, product.is_vetted) == (None, None, False)


def test_the_shop_manager_vets_a_product_in_the_vetting_panel(client, shop, shop_manager):
    product = factories.make_product(shop, title="Silk Touch")
    client.force_login(shop_manager)
    edit = reverse("wagtailadmin_pages:edit", args=[product.pk])
    data = form_data(client.get(edit), "Publish")
    assert (data["vetted_by"], data["vetted_on"]) == ("", "")
    data |= {"vetted_by": str(shop_manager.pk), "vetted_on": "2026-03-01"}

    assert_saved(client.post(edit, data), "Page 'Silk Touch' has been published.")

    product.refresh_from_db()
    assert (product.vetted_by, product.vetted_on) == (shop_manager, datetime.date(2026, 3, 1))
    assert product.is_vetted


def test_a_vetting_date_without_a_vetter_is_not_vetting(shop, shop_manager):
    assert not factories.make_product(shop, vetted_on=datetime.date(2026, 3, 1)).is_vetted
    assert not factories.make_product(shop, vetted_by=shop_manager).is_vetted


def test_the_demo_products_are_vetted(demo):
    from shop.models import ProductPage

    assert all(product.is_vetted for product in ProductPage.objects.all())
