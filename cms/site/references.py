"""Which pages use an object (an expert, a source, a product), through Wagtail's reference index."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from wagtail.models import Page, ReferenceIndex


def ids_of_pages_referencing(objects):
    """A subquery of the ids of the pages whose content refers to any of `objects` (a queryset or list).

    The index holds references from every kind of object, by a text object id: keep the pages', and cast
    their ids to compare them with page ids (PostgreSQL compares no integer with text).
    """
    return (
        ReferenceIndex.get_references_to_in_bulk(objects)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .annotate(page_id=Cast("object_id", output_field=models.BigIntegerField()))
        .values("page_id")
    )
