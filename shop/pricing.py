"""Money on the shop pages: formatting, and the savings of a bundle, always computed, never typed."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$"}


def format_money(amount, currency):
    if amount is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    text = f"{amount:,.2f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


@dataclass(frozen=True)
class BundlePricing:
    items_total: Decimal
    bundle_price: Decimal
    currency: str

    @property
    def savings(self):
        return self.items_total - self.bundle_price

    @property
    def savings_percent(self):
        if not self.items_total:
            return 0
        # Half a percent rounds up, as shoppers expect (12.5% reads 13%, not banker's 12%).
        return int((self.savings / self.items_total * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def bundle_pricing(products, bundle_price):
    """The bundle's price beside the sum of its products' prices; None when there is no saving to show.

    Products in another currency than the bundle's cannot be summed, so they void the comparison.
    """
    products = list(products)
    if bundle_price is None or not products:
        return None
    currency = products[0].currency
    if any(product.currency != currency for product in products):
        return None
    items_total = sum((product.price for product in products), Decimal("0"))
    return BundlePricing(items_total=items_total, bundle_price=bundle_price, currency=currency)
