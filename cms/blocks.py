"""Editorial blocks shared by every content type: text, media and the medical-claim blocks.

Medical claims are the `statistic`, `claim` and `expert_quote` blocks (see cms/review/claims.py).
Chooser blocks resolve all their values in one query, with what templates need, so a page's
query count does not grow with its number of blocks.
"""

import contextvars
import copy
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.utils import timezone
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.images import blocks as image_blocks
from wagtail.snippets.blocks import SnippetChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "superscript", "subscript"]


# While resolve_choosers() runs: first the ids each chooser class is asked for, then the objects read for them.
_wanted_ids = contextvars.ContextVar("verity_wanted_chooser_ids", default=None)
_resolved_objects = contextvars.ContextVar("verity_resolved_chooser_objects", default=None)


class BulkChooserMixin:
    """Resolve every value of a chooser in one query, with its related rows prefetched."""

    select_related = ()
    prefetch_related = ()

    def get_bulk_queryset(self, renditions=True):
        """The chosen objects with what their templates show; with `renditions` False, their images'
        renditions are left for resolve_choosers() to read with every other chooser's."""
        lookups = [lookup for lookup in self.prefetch_related if renditions or not lookup.endswith("renditions")]
        return self.model_class.objects.select_related(*self.select_related).prefetch_related(*lookups)

    def images_of(self, obj):
        """The images a chosen object shows (whose renditions resolve_choosers() reads)."""
        return ()

    def bulk_to_python(self, values):
        values = list(values)
        ids = [value for value in values if value is not None]
        wanted = _wanted_ids.get()
        if wanted is not None:  # resolve_choosers() is only collecting ids
            wanted.setdefault(type(self), (self, set()))[1].update(ids)
            return [None] * len(values)
        resolved = _resolved_objects.get()
        if resolved is not None and type(self) in resolved:
            # Read with the other block types' values: copies, as one object may serve several blocks.
            return [copy.copy(resolved[type(self)].get(value)) for value in values]
        found = self.get_bulk_queryset().in_bulk(ids)
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


def resolve_choosers(*streams, images=()):
    """Resolve the chooser values of lazy StreamValues with one query per chooser class for them all, and
    the renditions of every image they show, with `images` (the page's own), in one more.

    Wagtail converts a stream one block type at a time, so a source cited by statistics, claims and quotes
    would be read in three queries. Here a first pass of Wagtail's own conversion only collects the ids each
    chooser class is asked for; they are read together, then the streams are converted from those objects.
    """
    wanted = {}
    token = _wanted_ids.set(wanted)
    try:
        for stream in streams:
            stream.stream_block.bulk_to_python([list(stream.raw_data)])
    finally:
        _wanted_ids.reset(token)
    resolved = {
        chooser_class: block.get_bulk_queryset(renditions=False).in_bulk(ids)
        for chooser_class, (block, ids) in wanted.items()
    }
    shown = [
        image
        for chooser_class, (block, _) in wanted.items()
        for obj in resolved[chooser_class].values()
        for image in block.images_of(obj)
    ]
    prefetch_renditions([*images, *shown])
    token = _resolved_objects.set(resolved)
    try:
        for stream in streams:
            list(stream)  # binds every block, from the objects read above
    finally:
        _resolved_objects.reset(token)


def prefetch_renditions(images):
    """Read the renditions of all these images (None skipped) in one query, as prefetch_related would."""
    images = [image for image in images if image is not None]
    if images:
        prefetch_related_objects(images, "renditions")


class ExpertChooserBlock(BulkChooserMixin, SnippetChooserBlock):
    select_related = ("photo",)
    prefetch_related = ("photo__renditions",)

    def images_of(self, expert):
        return [expert.photo]

    def __init__(self, **kwargs):
        super().__init__("cms.Expert", **kwargs)


class SourceChooserBlock(BulkChooserMixin, SnippetChooserBlock):
    def __init__(self, **kwargs):
        super().__init__("cms.Source", **kwargs)


class ImageChooserBlock(BulkChooserMixin, image_blocks.ImageChooserBlock):
    prefetch_related = ("renditions",)

    def images_of(self, image):
        return [image]


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


class ValidatedStructBlock(blocks.StructBlock):
    """A StructBlock with rules across its fields, checked on typed values.

    The admin form hands `clean()` the strings it read from the request: each child block cleans
    its own value first (turning "41" into Decimal("41") or reporting its own error), then
    `cross_field_errors()` sees the typed values of the children that cleaned. Both kinds of error come back
    together, each on its field. `required_messages` says in the editor's terms what a required
    field that was left empty needs.
    """

    required_messages = {}

    def clean(self, value):
        cleaned, errors = {}, {}
        for name, child_value in value.items():
            try:
                cleaned[name] = self.child_blocks[name].clean(child_value)
            except ValidationError as error:
                is_required = any(item.code == "required" for item in error.error_list)
                message = self.required_messages.get(name) if is_required else None
                errors[name] = ValidationError(message, code="required") if message else error
        for name, message in self.cross_field_errors(cleaned).items():
            errors.setdefault(name, ValidationError(message))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return self._to_struct_value(cleaned.items())

    def cross_field_errors(self, values):
        """Cross-field rules: a dict of field name to message. `values` holds only fields that cleaned."""
        return {}


def missing_sources(values):
    """True when a claim's sources cleaned and none of them exists any more."""
    return "sources" in values and not [source for source in values["sources"] if source is not None]


class ExpertQuoteBlock(ValidatedStructBlock):
    expert = ExpertChooserBlock(help_text="Who said it.")
    quote = blocks.TextBlock()
    sources = blocks.ListBlock(SourceChooserBlock(), default=[], required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/expert_quote.html"
        description = "An expert's words, attributed to their profile. Counts as a medical claim."
        preview_value = {"quote": "For some people, that can involve crying."}

    required_messages = {"expert": "Choose the expert who said this.", "quote": "Enter what the expert said."}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(max_length=200, help_text='Who said it, for example "A survey respondent".')
    source = SourceChooserBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        description = "An unnamed, testimonial or survey quote with its attribution."
        preview_value = {"quote": "When it feels good, I cry.", "attribution": "A survey respondent"}


class StatisticValue(blocks.StructValue):
    """A statistic as readers see it, on the site and in the API alike."""

    @property
    def figure_display(self):
        figure = self.get("figure")
        if figure is None:
            return ""
        number = format_number(figure)
        return f"{number}%" if self.get("unit") == "percent" else number

    @property
    def sample_size_display(self):
        sample_size = self.get("sample_size")
        return format_number(sample_size) if sample_size is not None else ""


def format_number(number):
    """Plain digits with thousands separators and no trailing zeros: 1000 -> "1,000", 41.50 -> "41.5"."""
    return format(Decimal(number).normalize(), ",f")


class StatisticBlock(ValidatedStructBlock):
    figure = blocks.DecimalBlock(decimal_places=2, help_text="The headline number, for example 41.")
    unit = blocks.ChoiceBlock(choices=[("percent", "Percent (%)"), ("count", "Count")], default="percent")
    statement = blocks.TextBlock(help_text="The full sentence, as readers should see it.")
    population = blocks.CharBlock(required=False, max_length=200, help_text='For example "men".')
    sample_size = blocks.IntegerBlock(required=False, min_value=1)
    year = blocks.IntegerBlock(required=False, help_text="The year of the study.")
    sources = blocks.ListBlock(SourceChooserBlock(), default=[])

    class Meta:
        value_class = StatisticValue
        icon = "table"
        template = "blocks/statistic.html"
        description = "A number from a study or survey, with its sources. Counts as a medical claim."
        preview_value = {"figure": "41", "unit": "percent", "statement": "41% have experienced PCD."}

    def cross_field_errors(self, values):
        errors = {}
        figure = values.get("figure")
        if values.get("unit") == "percent" and figure is not None and not 0 <= figure <= 100:
            errors["figure"] = "A percentage lies between 0 and 100."
        year = values.get("year")
        if year is not None and year > timezone.now().year:
            errors["year"] = "A study's year cannot be in the future."
        if missing_sources(values) and not self.is_deferred_validation:
            errors["sources"] = "A statistic needs at least one source."
        return errors


class ClaimBlock(ValidatedStructBlock):
    statement = blocks.TextBlock(help_text="The medical statement, as readers should see it.")
    sources = blocks.ListBlock(SourceChooserBlock(), default=[])

    class Meta:
        icon = "doc-full"
        template = "blocks/claim.html"
        description = "A medical statement with its sources. A medical reviewer verifies it."
        preview_value = {"statement": "Postcoital dysphoria is a condition where you feel sad after sex."}

    def cross_field_errors(self, values):
        if missing_sources(values) and not self.is_deferred_validation:
            return {"sources": "Add at least one source for this claim."}
        return {}


# --- Safety content: reusable blocks a post's readers may need before anything else -------------------------

NOT_MEDICAL_ADVICE = (
    "This article is for information only and is not medical advice. Talk to a doctor or another qualified "
    "health professional about your own health."
)


class NotMedicalAdviceBlock(blocks.StructBlock):
    text = blocks.TextBlock(required=False, help_text="Leave blank for the standard wording.")

    class Meta:
        icon = "warning"
        template = "blocks/not_medical_advice.html"
        label = "Not medical advice"
        description = "The standard reminder that the post is not medical advice."

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["text"] = value.get("text") or NOT_MEDICAL_ADVICE
        return context


class GetHelpBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Get help now")
    intro = blocks.TextBlock(
        required=False, default="If you are struggling or feel unsafe, you do not have to handle it alone."
    )
    country = blocks.CharBlock(
        max_length=2,
        default="US",
        help_text="Lists the help resources kept for this country (Snippets → Help resources).",
    )

    class Meta:
        icon = "help"
        template = "blocks/get_help.html"
        label = "Get help"
        description = "Crisis lines and support services for the reader's country, from the Help resources."

    def clean(self, value):
        value = super().clean(value)
        value["country"] = (value.get("country") or "").upper()
        return value

    def get_context(self, value, parent_context=None):
        from cms.models import HelpResource

        context = super().get_context(value, parent_context)
        context["resources"] = list(HelpResource.objects.filter(country=(value.get("country") or "").upper()))
        return context
