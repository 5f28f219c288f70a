"""The blocks of a blog post's body. The names are a public contract: templates and API clients use them."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError

from cms.blocks import (
    CalloutBlock,
    ClaimBlock,
    ExpertQuoteBlock,
    FigureBlock,
    GetHelpBlock,
    HeadingBlock,
    ListBlock,
    NotMedicalAdviceBlock,
    ParagraphBlock,
    QuoteBlock,
    StatisticBlock,
)
from cms.review.claims import CLAIM_BLOCK_TYPES
from shop.blocks import ProductsBlock

COMMERCIAL_BLOCK_TYPES = ("products",)


def commercial_separation_errors(block_types):
    """{index: message} for each product module placed directly before or after a medical claim: what is sold
    stays apart from what a medical reviewer vouches for."""
    errors = {}
    for index, block_type in enumerate(block_types):
        if block_type not in COMMERCIAL_BLOCK_TYPES:
            continue
        neighbours = [block_types[i] for i in (index - 1, index + 1) if 0 <= i < len(block_types)]
        touching = [name for name in neighbours if name in CLAIM_BLOCK_TYPES]
        if touching:
            labels = " and ".join(dict.fromkeys(name.replace("_", " ") for name in touching))
            errors[index] = (
                f"A product module may not sit directly next to a {labels}: put other content (a paragraph, a "
                "heading) between what is sold and a medical claim."
            )
    return errors


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
    not_medical_advice = NotMedicalAdviceBlock()
    get_help = GetHelpBlock()
    products = ProductsBlock()

    def clean(self, value):
        value = super().clean(value)
        errors = commercial_separation_errors([child.block_type for child in value])
        if errors:
            raise StreamBlockValidationError(
                block_errors={index: ValidationError(message) for index, message in errors.items()},
                non_block_errors=[ValidationError("Keep product modules apart from medical claims.")],
            )
        return value
