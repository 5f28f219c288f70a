"""shop/pricing.py: money as shoppers read it, and a bundle's savings, computed from its products."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from shop.pricing import BundlePricing, bundle_pricing, format_money


def product(price, currency="USD"):
    return SimpleNamespace(price=Decimal(price), currency=currency)


class TestBundlePricing:
    def test_savings_are_the_items_total_less_the_bundle_price(self):
        pricing = bundle_pricing([product("24.00"), product("16.00"), product("20.00")], Decimal("49.00"))
        assert pricing == BundlePricing(items_total=Decimal("60.00"), bundle_price=Decimal("49.00"), currency="USD")
        assert pricing.savings == Decimal("11.00")
        assert pricing.savings_percent == 18  # 18.33...%, rounded to a whole percent

    def test_savings_percent_rounds_to_the_nearest_whole_percent(self):
        assert bundle_pricing([product("30.00")], Decimal("19.99")).savings_percent == 33  # 33.37%
        assert bundle_pricing([product("30.00")], Decimal("19.00")).savings_percent == 37  # 36.67%

    def test_takes_the_products_currency(self):
        pricing = bundle_pricing([product("10.00", "EUR"), product("5.00", "EUR")], Decimal("12.00"))
        assert pricing.currency == "EUR"
        assert pricing.savings == Decimal("3.00")

    def test_a_bundle_dearer_than_its_items_shows_no_positive_saving(self):
        pricing = bundle_pricing([product("10.00")], Decimal("12.00"))
        assert pricing.savings == Decimal("-2.00")
        assert pricing.savings_percent == -20

    def test_mixed_currencies_cannot_be_compared(self):
        assert bundle_pricing([product("10.00", "USD"), product("10.00", "EUR")], Decimal("15.00")) is None

    def test_no_bundle_price_means_no_bundle(self):
        assert bundle_pricing([product("10.00")], None) is None

    def test_no_products_means_no_bundle(self):
        assert bundle_pricing([], Decimal("10.00")) is None

    def test_accepts_any_iterable_of_products(self):
        pricing = bundle_pricing((p for p in [product("10.00"), product("10.00")]), Decimal("15.00"))
        assert pricing.items_total == Decimal("20.00")

    def test_free_items_have_no_savings_percent(self):
        assert bundle_pricing([product("0.00")], Decimal("0.00")).savings_percent == 0


class TestFormatMoney:
    @pytest.mark.parametrize(
        ("amount", "currency", "expected"),
        [
            ("49", "USD", "$49.00"),
            ("11.5", "USD", "$11.50"),
            ("1234.5", "USD", "$1,234.50"),
            ("18.00", "EUR", "€18.00"),
            ("18.00", "GBP", "£18.00"),
            ("18.00", "CAD", "CA$18.00"),
            ("18.00", "AUD", "A$18.00"),
            ("18.00", "SEK", "18.00 SEK"),
            ("0", "USD", "$0.00"),
        ],
    )
    def test_formats_with_the_currency_symbol_or_code(self, amount, currency, expected):
        assert format_money(Decimal(amount), currency) == expected

    def test_no_amount_is_an_empty_string(self):
        assert format_money(None, "USD") == ""


def test_half_a_percent_rounds_up():
    # 12.50% saving: banker's rounding would show 12%.
    assert bundle_pricing([product("40.00")], Decimal("35.00")).savings_percent == 13
