"""Editorial blocks shared by every content type: text, media and the medical-claim blocks.

Medical claims are the `statistic`, `claim` and `expert_quote` blocks (see cms/claims.py).
Chooser blocks resolve all their values in one query, with what templates need, so a page's
query count does not grow with its number of blocks.
"""

import copy

from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images import blocks as image_blocks
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]


class BulkChooserMixin:
    """Resolve every value of a chooser in one query, with its related rows prefetched."""

    select_related = ()
    prefetch_related = ()

    def get_bulk_queryset(self):
        return self.model_class.objects.select_related(*self.select_related).prefetch_related(*self.prefetch_related)

    def bulk_to_python(self, values):
        found = self.get_bulk_queryset().in_bulk([value for value in values if value is not None])
        # Like Wagtail's ChooserBlock, a value chosen twice gets its own copy: ImageBlock sets
        # per-use alt text on the instance.
        seen = set()
        result = []
        for value in values:
            obj = found.get(value)
            if obj is not None and value in seen:
                obj = copy.copy(obj)
            seen.add(value)
            result.append(obj)
        return result


class ExpertChooserBlock(BulkChooserMixin, SnippetChooserBlock):
    select_related = ("photo",)
    prefetch_related = ("photo__renditions",)

    def __init__(self, **kwargs):
        super().__init__("cms.Expert", **kwargs)


class SourceChooserBlock(BulkChooserMixin, SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("cms.Source", **kwargs)


class ImageChooserBlock(BulkChooserMixin, image_blocks.ImageChooserBlock):
    prefetch_related = ("renditions",)


class ImageBlock(image_blocks.ImageBlock):
    """Wagtail's ImageBlock (an image with alt text), its images read with their renditions in one query.

    It deconstructs as Wagtail's ImageBlock, so swapping it in changes no migration.
    """

    def __init__(self, required=True, **kwargs):
        super().__init__(required=required, **kwargs)
        image = ImageChooserBlock(required=required)
        image.set_name("image")
        self.child_blocks["image"] = image


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=160)
    level = blocks.ChoiceBlock(choices=[("h2", "Section (H2)"), ("h3", "Subsection (H3)")], default="h2", required=True)

    class Meta:
        icon = "title"
        template = "blocks/heading.html"
        description = "A section or subsection heading; it appears in the table of contents."
        preview_value = {"text": "What is postcoital dysphoria?", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_TEXT_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"
        description = "Body text. State medical facts in a claim or statistic block, with sources."
        preview_value = "<p>Sex is supposed to be a fun, pleasurable and hopefully liberating activity.</p>"


class ListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(choices=[("ul", "Bulleted"), ("ol", "Numbered")], default="ul", required=True)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "blocks/list.html"
        description = "A bulleted or numbered list."
        preview_value = {"style": "ul", "items": ["Depression", "Crying", "Anxiety"]}


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        description = "An image with alternative text and an optional caption."


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("note", "Note"), ("tip", "Tip"), ("warning", "When to get help")], default="note"
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        template = "blocks/callout.html"
        description = "A highlighted box: a note, a tip or when to get help."
        preview_value = {"tone": "warning", "title": "When to get help", "text": "<p>Talk to a professional.</p>"}


def sources_required(value, errors, message="Add at least one source for this claim."):
    if not [source for source in value.get("sources") or [] if source is not None]:
        errors["sources"] = ValidationError(message)


class ExpertQuoteBlock(blocks.StructBlock):
    expert = ExpertChooserBlock(required=False, help_text="Who said it.")
    quote = blocks.TextBlock(required=False)
    sources = blocks.ListBlock(SourceChooserBlock(), default=[], required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/expert_quote.html"
        description = "An expert's words, attributed to their profile. Counts as a medical claim."
        preview_value = {"quote": "For some people, that can involve crying."}

    def clean(self, value):
        errors = {}
        if value.get("expert") is None:
            errors["expert"] = ValidationError("Choose the expert who said this.")
        if not (value.get("quote") or "").strip():
            errors["quote"] = ValidationError("Enter what the expert said.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return super().clean(value)


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(max_length=200, help_text='Who said it, for example "A survey respondent".')
    source = SourceChooserBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        description = "An unnamed, testimonial or survey quote with its attribution."
        preview_value = {"quote": "When it feels good, I cry.", "attribution": "A survey respondent"}


class StatisticBlock(blocks.StructBlock):
    figure = blocks.DecimalBlock(decimal_places=2, help_text="The headline number, for example 41.")
    unit = blocks.ChoiceBlock(choices=[("percent", "Percent (%)"), ("count", "Count")], default="percent")
    statement = blocks.TextBlock(help_text="The full sentence, as readers should see it.")
    population = blocks.CharBlock(required=False, max_length=200, help_text='For example "men".')
    sample_size = blocks.IntegerBlock(required=False, min_value=1)
    year = blocks.IntegerBlock(required=False, help_text="The year of the study.")
    sources = blocks.ListBlock(SourceChooserBlock(), default=[])

    class Meta:
        icon = "table"
        template = "blocks/statistic.html"
        description = "A number from a study or survey, with its sources. Counts as a medical claim."
        preview_value = {"figure": "41", "unit": "percent", "statement": "41% have experienced PCD."}

    def clean(self, value):
        errors = {}
        figure = value.get("figure")
        if value.get("unit") == "percent" and figure is not None and not 0 <= figure <= 100:
            errors["figure"] = ValidationError("A percentage lies between 0 and 100.")
        year = value.get("year")
        if year is not None and year > timezone.now().year:
            errors["year"] = ValidationError("A study's year cannot be in the future.")
        sources_required(value, errors, "A statistic needs at least one source.")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return super().clean(value)


class ClaimBlock(blocks.StructBlock):
    statement = blocks.TextBlock(help_text="The medical statement, as readers should see it.")
    sources = blocks.ListBlock(SourceChooserBlock(), default=[])

    class Meta:
        icon = "doc-full"
        template = "blocks/claim.html"
        description = "A medical statement with its sources. A medical reviewer verifies it."
        preview_value = {"statement": "Postcoital dysphoria is a condition where you feel sad after sex."}

    def clean(self, value):
        errors = {}
        sources_required(value, errors)
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return super().clean(value)
