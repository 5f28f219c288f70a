"""The blocks of a blog post's body. The names are a public contract: templates and API clients use them."""

from wagtail import blocks

from cms.blocks import (
    CalloutBlock,
    ClaimBlock,
    ExpertQuoteBlock,
    FigureBlock,
    HeadingBlock,
    ListBlock,
    ParagraphBlock,
    QuoteBlock,
    StatisticBlock,
)
from shop.blocks import ProductsBlock


class PostBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    list = ListBlock()
    image = FigureBlock()
    expert_quote = ExpertQuoteBlock()
    quote = QuoteBlock()
    statistic = StatisticBlock()
    claim = ClaimBlock()
    callout = CalloutBlock()
    products = ProductsBlock()
