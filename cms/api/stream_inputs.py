"""The write schema of every StreamField, derived from its blocks: typed writes for POST and PATCH /api/v3/pages/.

Wagtail 8.0.1 writes a StreamField as `list[Any]` (wagtail/api/v3/schemas/generators/write.py,
`streamfield_schema`): the OpenAPI document says nothing of a post's blocks, and a block with a wrong shape
reaches the admin form as a cryptic error. `install` registers, before Wagtail builds its page write schemas
(cms/apps.py calls it first thing), a schema for each StreamField made from its own block definitions:

- a StreamBlock is a list of `{"type", "id", "value"}` items in a union discriminated by `type`, one schema
  per block type (`BlogPostPageBodyClaimInput` ...): the same block types, in the same order, as the reads'
  `BodyBlock` union (cms/api/schemas.py), in Wagtail's stored StreamField shape, which the form binds;
- a StructBlock is an object of its child blocks; a field the block requires is a required key (a missing
  one is a 422 naming it, `["body", 0, "claim", "value", "statement"]`), while its value may still be blank or
  null in a draft, as the admin's *Save draft* accepts unfinished work (submitting checks everything);
- a ChoiceBlock's values are read from the block itself, so a new choice is writable with no change here;
- a chooser (expert, source, image, product, collection) is the chosen object's id; a ListBlock a list.

The values then go through the post's own admin form as before (wagtail/api/v3/form_data.py), so every rule
of the blocks' `clean()` still applies, each error on its field.
"""

import re
import sys
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel, ConfigDict, Field, create_model
from wagtail import blocks
from wagtail.fields import StreamField

_unions = {}  # one schema per StreamField: the create and patch generators share them


class BlockInput(BaseModel):
    # Unknown keys are refused, so a misspelt field is an error, never silently dropped.
    model_config = ConfigDict(extra="forbid")


def install():
    if "wagtail.api.v3.registry" in sys.modules:  # its page schemas are built: too late to change them
        raise ImproperlyConfigured("cms.api.stream_inputs.install() must run before wagtail.api.v3 is imported.")
    from wagtail.api.v3.schemas.generators.write import create_generator, patch_generator

    for generator in (create_generator, patch_generator):
        generator.register_field_schema(StreamField, stream_field_schema)


def stream_field_schema(generator, field):
    key = (field.model._meta.label, field.name)
    if key not in _unions:
        _unions[key] = stream_items(field.stream_block, f"{field.model.__name__}{camel(field.name)}")
    return list[_unions[key]], []


def camel(name):
    return "".join(part.capitalize() for part in re.split(r"[_\W]+", name) if part)


def stream_items(stream_block, prefix):
    """The union of a StreamBlock's items, discriminated by `type`."""
    items = []
    for name, block in stream_block.child_blocks.items():
        value, required = block_value(block, f"{prefix}{camel(name)}")
        items.append(
            create_model(
                f"{prefix}{camel(name)}Input",
                __base__=BlockInput,
                __doc__=f"A `{name}` block: {block.label}.",
                type=(Literal[name], ...),
                id=(str | None, Field(None, description="The block's id: keep it to keep the block's identity.")),
                value=(value, ...),
            )
        )
    if len(items) == 1:
        return items[0]
    union = items[0]
    for item in items[1:]:
        union = union | item
    return Annotated[union, Field(discriminator="type")]


def block_value(block, name):
    """(annotation, required) of a block's value, as Wagtail stores it (`get_prep_value`)."""
    if isinstance(block, blocks.BaseStreamBlock):
        return list[stream_items(block, name)], block.required
    if isinstance(block, blocks.ListBlock):
        child, _required = block_value(block.child_block, name)
        return list[child], False
    if isinstance(block, blocks.BaseStructBlock):
        return struct_value(block, name), True
    return leaf_value(block), is_required(block)


def struct_value(block, name):
    fields = {}
    for child_name, child in block.child_blocks.items():
        annotation, required = block_value(child, f"{name}{camel(child_name)}")
        description = str(help_text(child) or child.label or "")
        if required and not has_default(child):
            fields[child_name] = (annotation | None, Field(..., description=description))
        else:
            fields[child_name] = (annotation | None, Field(prep_default(child), description=description))
    return create_model(f"{name}Value", __base__=BlockInput, **fields)


# A chooser block builds its form field lazily, and only once its model is registered (a snippet's is not yet
# when Wagtail builds its schemas): its requiredness and help text are read from what it was given.


def is_required(block):
    if isinstance(block, blocks.ChooserBlock):
        return bool(block._required)
    return bool(block.required)


def help_text(block):
    if isinstance(block, blocks.ChooserBlock):
        return block._help_text
    if isinstance(block, blocks.FieldBlock):
        return block.field.help_text
    return getattr(block.meta, "help_text", None)


def has_default(block):
    """A field with a default of its own (a choice's, a list's) may be left out; a struct's is only its parts'."""
    if isinstance(block, blocks.BaseStructBlock):
        return False
    return block.meta.default not in (None, "", [])


def prep_default(block):
    if isinstance(block, blocks.ListBlock):
        return []  # its stored default names item ids made up anew each time: a document must not change
    try:
        return block.get_prep_value(block.get_default())
    except Exception:  # a block whose default cannot be stored as is: none
        return None


def leaf_value(block):
    if isinstance(block, blocks.ChooserBlock):  # snippets, images, pages (products, collections), documents
        return int
    if isinstance(block, blocks.ChoiceBlock | blocks.MultipleChoiceBlock):
        values = tuple(choice_values(block.field.choices))
        if isinstance(block, blocks.MultipleChoiceBlock):
            return list[Literal[values]] if values else list[str]
        # One Literal, blank included (an unfinished draft), so that an error names the field and nothing more.
        return Literal[(*values, "")] if values else str
    if isinstance(block, blocks.BooleanBlock):
        return bool
    if isinstance(block, blocks.IntegerBlock):
        return int
    if isinstance(block, blocks.DecimalBlock):
        return Decimal
    if isinstance(block, blocks.FloatBlock):
        return float
    if isinstance(block, blocks.RichTextBlock):
        return Annotated[str, Field(description="HTML (Wagtail's rich text), links to pages as `linktype`.")]
    if isinstance(block, blocks.FieldBlock):
        max_length = getattr(block.field, "max_length", None)
        return Annotated[str, Field(max_length=max_length)] if max_length else str
    return Any


def choice_values(choices):
    """The stored values of a Django choices list, groups flattened, the blank choice left out."""
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from choice_values(label)
        elif value not in ("", None):
            yield value
