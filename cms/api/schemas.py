"""The typed JSON of Verity's public read API: one Schema per shape, and one per body block type.

A post's body is a list of blocks discriminated by their `type`, so the OpenAPI document describes each
block (`HeadingBlock`, `StatisticBlock` ...) instead of an untyped list. Money and statistic figures are
decimal strings ("18.00", "91.9"), never floats. Every `sources` list of a block holds numbers of the
post's numbered `sources` list.
"""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from cms import blocks as body_blocks

# Schema names are OpenAPI component names, shared with Wagtail's own schemas in one document: Wagtail
# names its schemas "...Schema", so these names leave that suffix out.


def choice_of(block_class, name):
    """The values of a block's choice field, as a type: a choice added to the block is one the API may send."""
    values = tuple(value for value, _label in block_class.base_blocks[name].field.choices if value)
    return Literal[values]


SourceNumbers = Annotated[
    list[int], Field(description="Numbers of the entries of the post's `sources` list that this block cites.")
]
Money = Annotated[str, Field(description='A decimal amount as a string, for example "18.00".', examples=["18.00"])]


class Rendition(Schema):
    url: str = Field(description="Absolute URL of the rendition (WebP).")
    width: int
    height: int


class ResponsiveImage(Schema):
    id: int
    alt: str = Field(description='Alternative text; "" for a decorative image.')
    width: int = Field(description="Width of the original image.")
    height: int = Field(description="Height of the original image.")
    renditions: list[Rendition] = Field(description="WebP renditions, smallest first, for a srcset.")


class Tag(Schema):
    name: str
    slug: str


class ExpertCard(Schema):
    """A published expert as a post shows them: in a quote, as an author, as the medical reviewer."""

    id: int
    slug: str
    name: str = Field(description='Full name with honorific, for example "Dr. Marie Tudor".')
    credentials: str
    specialty: str
    profile_url: str
    photo: ResponsiveImage | None


class Expert(ExpertCard):
    honorific: str
    affiliation: str
    bio: str = Field(description="HTML, internal links resolved.")


class Source(Schema):
    id: int
    title: str
    authors: str
    publisher: str
    year: int | None
    url: str = Field(description="Where a reader follows the source: its DOI, else PubMed, else its URL.")
    doi: str
    pmid: str
    kind: str


class NumberedSource(Source):
    number: int = Field(description="The number blocks cite it by, in order of first citation.")


class ProductCard(Schema):
    id: int
    title: str
    slug: str
    url: str
    summary: str
    sku: str
    price: Money
    compare_at_price: Money | None = Field(description="The former price, only while the product is on sale.")
    currency: str = Field(description="ISO 4217 code.")
    price_display: str = Field(description='The price formatted for display, for example "$18.00".')
    compare_at_price_display: str
    on_sale: bool
    availability: Literal["in_stock", "low_stock", "out_of_stock", "preorder", "discontinued"]
    availability_label: str
    buyable: bool
    buy_url: str
    store_product_id: str = Field(description="The product's id in the store (empty until synced).")
    handle: str = Field(description="The product's handle in the store.")
    variant_ids: list[int] = Field(description="The store's variant ids; the first goes into bundle cart links.")
    inventory_quantity: int | None = Field(description="Units in stock at the last store sync.")
    image: ResponsiveImage | None = Field(description="The main image, square crops.")


class Product(ProductCard):
    description: str = Field(description="HTML, internal links resolved.")
    images: list[ResponsiveImage]
    seo_title: str
    search_description: str


class Collection(Schema):
    """A collection of products; with a bundle price it is a "Bundle to Save" and carries its savings."""

    id: int
    title: str
    slug: str
    url: str
    intro: str
    is_bundle: bool
    products: list[ProductCard] = Field(description="The published products, in the editor's order.")
    currency: str | None
    items_total: Money | None = Field(description="The products' prices summed (bundles only).")
    bundle_price: Money | None
    savings: Money | None
    savings_percent: int | None
    bundle_buy_url: str
    buy_url: str = Field(
        description='Where "Buy the bundle" leads: its own buy URL or a store cart of its products; empty while '
        "one of them cannot be bought."
    )
    partial_buy_url: str = Field(description="A store cart of the products that can be bought, when some cannot.")


# Body blocks. Each carries its StreamField block id and its type.


class HeadingBlock(Schema):
    type: Literal["heading"]
    id: str | None
    text: str
    level: choice_of(body_blocks.HeadingBlock, "level")
    anchor: str = Field(description="The id the site gives the heading, for a table of contents.")


class ParagraphBlock(Schema):
    type: Literal["paragraph"]
    id: str | None
    html: str = Field(description="HTML, internal links resolved.")


class ListBlock(Schema):
    type: Literal["list"]
    id: str | None
    style: choice_of(body_blocks.ListBlock, "style")
    items: list[str]


class ImageBlock(Schema):
    type: Literal["image"]
    id: str | None
    image: ResponsiveImage
    caption: str


class ExpertQuoteBlock(Schema):
    type: Literal["expert_quote"]
    id: str | None
    quote: str
    expert: ExpertCard
    sources: SourceNumbers


class QuoteBlock(Schema):
    type: Literal["quote"]
    id: str | None
    quote: str
    attribution: str
    sources: SourceNumbers


class StatisticBlock(Schema):
    type: Literal["statistic"]
    id: str | None
    figure: str = Field(description='The headline number, for example "41" or "91.9".')
    unit: choice_of(body_blocks.StatisticBlock, "unit")
    statement: str
    population: str
    sample_size: int | None
    year: int | None
    sources: SourceNumbers


class ClaimBlock(Schema):
    type: Literal["claim"]
    id: str | None
    statement: str
    sources: SourceNumbers


class CalloutBlock(Schema):
    type: Literal["callout"]
    id: str | None
    tone: choice_of(body_blocks.CalloutBlock, "tone")
    title: str
    html: str = Field(description="HTML, internal links resolved.")


class NotMedicalAdviceBlock(Schema):
    type: Literal["not_medical_advice"]
    id: str | None
    text: str = Field(description="The post's own wording, or the standard one.")


class HelpResource(Schema):
    name: str
    description: str
    phone: str
    text: str = Field(description='How to reach it by text message, for example "Text HOME to 741741".')
    url: str
    hours: str


class GetHelpBlock(Schema):
    type: Literal["get_help"]
    id: str | None
    heading: str
    intro: str
    country: str = Field(description="ISO 3166 code; the resources are those the publisher keeps for it.")
    resources: list[HelpResource]


class TrackedLink(Schema):
    """A shop module's link to the store through the site's click-counting redirect."""

    target_id: int = Field(description="The product or bundle linked to.")
    url: str


class ProductsBlock(Schema):
    type: Literal["products"]
    id: str | None
    heading: str
    products: list[ProductCard]
    module: str = Field(description="The module's name in click reports and in utm_content.")
    tracked_links: list[TrackedLink] = Field(description="Each product's link to the store, counted per module.")


BodyBlock = Annotated[
    HeadingBlock
    | ParagraphBlock
    | ListBlock
    | ImageBlock
    | ExpertQuoteBlock
    | QuoteBlock
    | StatisticBlock
    | ClaimBlock
    | CalloutBlock
    | NotMedicalAdviceBlock
    | GetHelpBlock
    | ProductsBlock,
    Field(discriminator="type"),
]


class ShopTheStoryProduct(Schema):
    type: Literal["product"]
    id: str | None
    product: ProductCard
    tracked_url: str = Field(description="The store link through the click-counting redirect (module shop-the-story).")


class ShopTheStoryCollection(Schema):
    type: Literal["collection"]
    id: str | None
    collection: Collection
    tracked_url: str = Field(
        description='"Buy the bundle" through the click-counting redirect; empty for a collection.'
    )


ShopTheStoryItem = Annotated[ShopTheStoryProduct | ShopTheStoryCollection, Field(discriminator="type")]


class Reviewer(Schema):
    id: int
    name: str
    credentials: str
    profile_url: str


class Credential(Schema):
    """A reviewer's licence or board certification, as an administrator verified it."""

    title: str
    kind: Literal["licence", "board"]
    number: str
    issuing_body: str
    country: str
    verified_on: date
    expires_on: date


class HistoryEntry(Schema):
    kind: Literal["published", "updated", "medically_reviewed"]
    label: str
    at: datetime
    role: str = Field(description='Who acted, by role: "Medical reviewer", "Outside medical reviewer", ...')
    name: str = Field(description="The medical reviewer's public name; empty for editorial steps.")


class MedicalReview(Schema):
    status: Literal["reviewed", "not reviewed"] = Field(
        description='"reviewed" only when a medical reviewer verified every claim of the live post.'
    )
    reviewer: Reviewer | None
    reviewed_at: datetime | None = Field(
        description="When the claims as they stand were reviewed; an edit that changes no claim keeps it."
    )
    credentials: list[Credential] = Field(description="The reviewer's verified, current credentials only.")
    outside_reviewer: bool = Field(description="Signed off by an invited outside reviewer, without an account.")
    updated_at: datetime | None = Field(description="When the live content last changed.")
    history: list[HistoryEntry] = Field(description="Each publish, update and medical sign-off, oldest first.")


class PostSummary(Schema):
    """A post as lists show it."""

    id: int
    title: str
    slug: str
    url: str
    dek: str
    first_published_at: datetime | None
    last_published_at: datetime | None
    hero_image: ResponsiveImage | None = Field(description="Card crops (400x250, 800x500).")
    authors: list[ExpertCard]
    tags: list[Tag]


class Post(PostSummary):
    """Everything a post's page shows, in one response."""

    seo_title: str
    search_description: str
    hero_image: ResponsiveImage | None = Field(description="Widths 400, 800 and 1200, alt text from the post.")
    body: list[BodyBlock]
    shop_the_story: list[ShopTheStoryItem]
    sources: list[NumberedSource] = Field(description="The numbered Sources list, in order of first citation.")
    medical_review: MedicalReview
    commercial_disclosure: str | None = Field(
        description="The disclosure line of a post with a shop module (its wording a site setting); null otherwise."
    )
    related_posts: list[PostSummary]
    json_ld: dict[str, Any] = Field(description="The schema.org JSON-LD the site embeds for this post.")


class Home(Schema):
    id: int
    title: str
    url: str
    intro: str
    seo_title: str
    search_description: str
    latest_posts: list[PostSummary]
    featured_collection: Collection | None


class PostList(Schema):
    count: int
    items: list[PostSummary]


class ExpertList(Schema):
    count: int
    items: list[Expert]


class SourceList(Schema):
    count: int
    items: list[Source]


class ProductList(Schema):
    count: int
    items: list[ProductCard]


class CollectionList(Schema):
    count: int
    items: list[Collection]
