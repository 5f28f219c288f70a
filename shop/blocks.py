"""Shop blocks for editorial pages: an inline "Shop Now" row and the Shop The Story module.

The chooser blocks open the shop's own choosers (shop/choosers.py), which show each product's image, price,
availability and status; their value is still a page id, as it always was.
"""

from wagtail import blocks

from cms.blocks import BulkChooserMixin

from .choosers import collection_chooser_viewset, product_chooser_viewset


class ProductChooserBlock(BulkChooserMixin, product_chooser_viewset.get_block_class()):
    def get_bulk_queryset(self, renditions=True):
        return self.model_class.objects.with_fallbacks(renditions)

    def images_of(self, product):
        shown = [product, product.fallback_product] if product.fallback_product else [product]
        return [item.image for each in shown for item in each.images.all()]


class CollectionChooserBlock(BulkChooserMixin, collection_chooser_viewset.get_block_class()):
    def get_bulk_queryset(self, renditions=True):
        return self.model_class.objects.with_products(renditions)

    def images_of(self, collection):
        return [image.image for item in collection.items.all() for image in item.product.images.all()]


class ProductsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Shop Now", max_length=80)
    products = blocks.ListBlock(ProductChooserBlock(), min_num=1, max_num=12)

    class Meta:
        icon = "tag"
        template = "blocks/products.html"
        description = 'An inline row of product cards, such as "Shop Now".'


class ShopTheStoryBlock(blocks.StreamBlock):
    """Products and collections or bundles, in the editor's order, shown at the end of a post."""

    product = ProductChooserBlock(icon="tag")
    collection = CollectionChooserBlock(icon="folder-open-inverse", help_text="A collection or a bundle.")

    class Meta:
        max_num = 12
