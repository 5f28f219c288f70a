"""Content turned into the dicts of cms/api/schemas.py, with the site's rules on what is public: the pieces
every resource shares (images, people, sources, products, post cards); a post itself is blog/api/serializers.py.

Nothing here queries per item: callers pass objects read by the listing querysets and the bulk-resolving
chooser blocks, with their images' renditions prefetched, and rich text is expanded for a whole response in
one pass. Unpublished experts, sources and products are left out exactly as the site's templates leave
them out (cms/site/citations.py, templates/blocks/*.html): a quote of an unpublished expert disappears with its
block, an unpublished source is neither listed nor cited, an unpublished product is not shown.
"""

from decimal import Decimal

from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.rich_text import RichText, expand_db_html

from cms.site.address import absolute_url, page_url
from cms.site.citations import is_live

# Rendition sets, the same filter specs as the site's templates use, so the API and the site share renditions.
FIGURE_RENDITIONS = Filter.expand_spec("width-{400,800,1200}|format-webp")  # blocks/image.html, the hero
POST_CARD_RENDITIONS = Filter.expand_spec("fill-{400x250,800x500}|format-webp")  # includes/post_card.html
PRODUCT_CARD_RENDITIONS = Filter.expand_spec("fill-{300x300,600x600}|format-webp")  # includes/product_card.html
PRODUCT_RENDITIONS = Filter.expand_spec("fill-{400x400,800x800}|format-webp")  # shop/product_page.html
AVATAR_RENDITIONS = Filter.expand_spec("fill-{64x64,128x128}|format-webp")  # blocks/expert_quote.html
PROFILE_PHOTO_RENDITIONS = Filter.expand_spec("fill-{160x160,320x320}|format-webp")  # cms/expert_detail.html


# A separator no rich text editor produces, to expand many rich texts in one pass of Wagtail's rewriter
# (its link handlers read every linked page or document of one pass in one query).
RICH_TEXT_SEPARATOR = "\x00<!--verity-rich-text-->\x00"


def expand_rich_texts(sources):
    """HTML for each rich text source (a string or a RichText), internal links resolved, in one pass."""
    sources = [source.source if isinstance(source, RichText) else (source or "") for source in sources]
    if not sources:
        return []
    expanded = expand_db_html(RICH_TEXT_SEPARATOR.join(sources)).split(RICH_TEXT_SEPARATOR)
    if len(expanded) != len(sources):  # a source held the separator: expand one by one
        expanded = [expand_db_html(source) for source in sources]
    return expanded


def decimal_string(value):
    """A decimal as plain digits, without an exponent or trailing zeros: 41.00 -> "41", 91.90 -> "91.9"."""
    if value is None:
        return None
    return format(Decimal(value).normalize(), "f")


def money(value):
    return None if value is None else f"{Decimal(value):.2f}"


class Serializer:
    """Turns content into API dicts for one request."""

    def __init__(self, request):
        self.request = request

    # Absolute URLs are on the public address (cms/site/address.py), never the request's host.
    def absolute(self, url):
        return absolute_url(url)

    def page_url(self, page):
        return page_url(page, self.request)

    # Images

    def image(self, image, specs, alt=None):
        if image is None:
            return None
        renditions = get_renditions_or_not_found(image, specs).values()
        return {
            "id": image.pk,
            "alt": image.default_alt_text if alt is None else alt,
            "width": image.width,
            "height": image.height,
            "renditions": [
                {"url": self.absolute(rendition.url), "width": rendition.width, "height": rendition.height}
                for rendition in renditions
                if rendition.width  # a missing source file gives an empty "not found" rendition
            ],
        }

    # Experts and sources

    def expert_card(self, expert, photo_specs=AVATAR_RENDITIONS):
        return {
            "id": expert.pk,
            "slug": expert.slug,
            "name": expert.full_name,
            "credentials": expert.credentials,
            "specialty": expert.specialty,
            "profile_url": self.absolute(expert.get_absolute_url()),
            "photo": self.image(expert.photo, photo_specs) if expert.photo_id else None,
        }

    def experts(self, experts):
        bios = expand_rich_texts([expert.bio for expert in experts])
        return [
            {
                **self.expert_card(expert, PROFILE_PHOTO_RENDITIONS),
                "honorific": expert.honorific,
                "affiliation": expert.affiliation,
                "bio": bio,
            }
            for expert, bio in zip(experts, bios, strict=True)
        ]

    def reviewer(self, expert, credentials=None):
        """A reviewer as the trust line names them: with their verified credentials only."""
        if credentials is None:
            credentials = ", ".join(dict.fromkeys(c.title for c in expert.verified_credentials()))
        return {
            "id": expert.pk,
            "name": expert.full_name,
            "credentials": credentials,
            "profile_url": self.absolute(expert.get_absolute_url()),
        }

    @staticmethod
    def credential(credential):
        return {
            "title": credential.title,
            "kind": credential.kind,
            "number": credential.number,
            "issuing_body": credential.issuing_body,
            "country": credential.country,
            "verified_on": credential.verified_on,
            "expires_on": credential.expires_on,
        }

    @staticmethod
    def source(source):
        return {
            "id": source.pk,
            "title": source.title,
            "authors": source.authors,
            "publisher": source.publisher,
            "year": source.year,
            "url": source.link,
            "doi": source.doi,
            "pmid": source.pmid,
            "kind": source.kind,
        }

    # Shop

    def product_card(self, product):
        main_image = product.main_image
        return {
            "id": product.pk,
            "title": product.title,
            "slug": product.slug,
            "url": self.page_url(product),
            "summary": product.summary,
            "sku": product.sku,
            "price": money(product.price),
            "compare_at_price": money(product.compare_at_price) if product.is_on_sale else None,
            "currency": product.currency,
            "price_display": product.price_display,
            "compare_at_price_display": product.compare_at_price_display,
            "on_sale": product.is_on_sale,
            "availability": product.availability,
            "availability_label": product.get_availability_display(),
            "buyable": product.is_buyable,
            "buy_url": product.buy_url,
            "store_product_id": product.store_product_id,
            "handle": product.handle,
            "variant_ids": product.variant_ids,
            "inventory_quantity": product.inventory_quantity,
            "image": self.image(main_image, PRODUCT_CARD_RENDITIONS),
        }

    def product(self, product, description_html):
        return {
            **self.product_card(product),
            "description": description_html,
            "images": [self.image(item.image, PRODUCT_RENDITIONS) for item in product.images.all()],
            "seo_title": product.seo_title,
            "search_description": product.search_description,
        }

    def live_products(self, products):
        return [self.product_card(product) for product in products if is_live(product)]

    def collection(self, collection):
        pricing = collection.pricing if collection.is_bundle else None
        return {
            "id": collection.pk,
            "title": collection.title,
            "slug": collection.slug,
            "url": self.page_url(collection),
            "intro": collection.intro,
            "is_bundle": collection.is_bundle,
            "products": [self.product_card(product) for product in collection.products],  # live ones only
            "currency": pricing.currency if pricing else None,
            "items_total": money(pricing.items_total) if pricing else None,
            "bundle_price": money(pricing.bundle_price) if pricing else None,
            "savings": money(pricing.savings) if pricing else None,
            "savings_percent": pricing.savings_percent if pricing else None,
            "bundle_buy_url": collection.bundle_buy_url,
            "buy_url": collection.buy_url if collection.is_bundle else "",
            "partial_buy_url": collection.partial_buy_url if collection.is_bundle else "",
        }

    # Posts

    def post_summary(self, post, hero_specs=POST_CARD_RENDITIONS):
        return {
            "id": post.pk,
            "title": post.title,
            "slug": post.slug,
            "url": self.page_url(post),
            "dek": post.dek,
            "first_published_at": post.first_published_at,
            "last_published_at": post.last_published_at,
            "hero_image": self.image(post.hero_image, hero_specs, alt=post.hero_image_alt)
            if post.hero_image_id
            else None,
            "authors": [self.expert_card(author.expert) for author in post.authors.all() if is_live(author.expert)],
            "tags": [{"name": tag.name, "slug": tag.slug} for tag in sorted(post.tags.all(), key=lambda tag: tag.name)],
        }
