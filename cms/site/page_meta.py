"""What a page says about itself in its <head>: a unique title and description, the canonical URL, and the
image that social previews show (og:* and twitter:*), all from the content, never typed twice.

- Title: the page's SEO title or title, then " · Verity"; the home page, whose title is the site's name,
  is "Verity · " and its tagline; a blog listing filtered by tag or on a later page says so.
- Description: the SEO description, else the dek, the summary, the intro, the start of the body text; a
  listing's later pages and tags get their own words.
- Image: the page's own (the view's og_image rendition, a hero, a product's or a collection's first product
  image, an expert's photo) with its size and alt text — then `twitter:card` is `summary_large_image` —
  else the site's logo and a `summary` card.

Pages read by their fields, so the core imports no app.
"""

from dataclasses import dataclass

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.text import Truncator

from cms.site.address import absolute_url, page_url
from cms.site.structured_data import LOGO, social_image

DESCRIPTION_LENGTH = 160
# The home page's hero (templates/cms/home_page.html), shared when the home page is.
HOME_IMAGE = ("img/home-hero-1600.webp", 1600, 1000, "Two figures resting close together on a hillside at dusk")
DEFAULT_TAGLINE = "Sexual wellness, medically reviewed"
SEPARATOR = " · "


@dataclass
class PageMeta:
    title: str
    description: str
    og_title: str = ""  # the page's own name, without the site's: og:site_name says that
    canonical: str = ""
    og_type: str = "website"
    image_url: str = ""
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    has_own_image: bool = False

    @property
    def twitter_card(self):
        return "summary_large_image" if self.has_own_image else "summary"


def plain(text, length=DESCRIPTION_LENGTH):
    """Rich text or plain, as one line of at most `length` characters, cut at a word."""
    words = " ".join(strip_tags(str(text or "")).split())
    return Truncator(words).chars(length, truncate="…")


def first_text(*candidates):
    for candidate in candidates:
        text = plain(candidate)
        if text:
            return text
    return ""


def body_text(page):
    """The first paragraphs of a StreamField body, for a description none was written for."""
    body = getattr(page, "body", None)
    if not body:
        return ""
    for block in body:
        if block.block_type == "paragraph":
            return block.value.source if hasattr(block.value, "source") else str(block.value)
    return ""


def own_image(page, context):
    """The page's own image: the rendition its view chose, else its hero, main or first product image."""
    rendition = context.get("og_image")
    if rendition is not None:
        return rendition, getattr(page, "hero_image_alt", "") or rendition.image.default_alt_text
    image = getattr(page, "hero_image", None) or getattr(page, "main_image", None)
    alt = getattr(page, "hero_image_alt", "") if getattr(page, "hero_image", None) else ""
    if image is None:
        collection = context.get("collection") or page
        for product in getattr(collection, "products", None) or []:
            image = getattr(product, "main_image", None)
            if image is not None:
                break
    if image is None:
        return None, ""
    return social_image(image), alt or image.default_alt_text


def with_image(meta, rendition, alt):
    if rendition is not None:
        meta.image_url = absolute_url(rendition.url)
        meta.image_width, meta.image_height = rendition.width, rendition.height
        meta.image_alt = alt or meta.title
        meta.has_own_image = True
    else:
        path, width, height = LOGO
        meta.image_url = absolute_url(static(path))
        meta.image_width, meta.image_height = width, height
        meta.image_alt = f"The {settings.WAGTAIL_SITE_NAME} logo"
    return meta


def listing_words(context):
    """What a filtered or later page of a listing adds to its title and description."""
    words = []
    tag = context.get("tag")
    if tag is not None:
        words.append(f"posts tagged {tag.name}")
    items = context.get("posts")
    number = getattr(items, "number", 1)
    if number and number > 1:
        words.append(f"page {number} of {items.paginator.num_pages}")
    return words


def for_page(page, context):
    site = settings.WAGTAIL_SITE_NAME
    name = page.seo_title or page.title
    description = first_text(
        page.search_description,
        getattr(page, "dek", ""),
        getattr(page, "summary", ""),
        getattr(page, "intro", ""),
        body_text(page),
        strip_tags(getattr(page, "description", "") or ""),
    )
    if page.depth == 2:  # the home page: the site's name and what it is
        tagline = plain(page.search_description or getattr(page, "intro", ""), 70).rstrip(".") or DEFAULT_TAGLINE
        title = name if name != site else (f"{site}{SEPARATOR}{tagline}" if tagline else site)
    else:
        title = f"{name}{SEPARATOR}{site}"
    words = listing_words(context)
    if words:
        title = f"{name}: {', '.join(words).capitalize()}{SEPARATOR}{site}"
        description = plain(f"{', '.join(words).capitalize()} on {site}'s {name.lower()}. {description}")
    if not description:
        description = plain(f"{name} on {site}.")
    meta = PageMeta(
        title=title,
        description=description,
        og_title=name if not words else title.removesuffix(f"{SEPARATOR}{site}"),
        canonical=page_url(page, context.get("request")),
        og_type=getattr(page, "og_type", "website"),
    )
    rendition, alt = own_image(page, context)
    if rendition is None and page.depth == 2:
        path, width, height, alt = HOME_IMAGE
        meta.image_url, meta.image_width, meta.image_height = absolute_url(static(path)), width, height
        meta.image_alt, meta.has_own_image = alt, True
        return meta
    return with_image(meta, rendition, alt)


def for_expert(expert):
    site = settings.WAGTAIL_SITE_NAME
    about = ", ".join(part for part in (expert.specialty, expert.affiliation) if part)
    description = first_text(
        " ".join(
            part for part in (f"{expert.name_with_credentials}{', ' + about if about else ''}.", plain(expert.bio))
        )
    )
    meta = PageMeta(
        title=f"{expert.name_with_credentials}{SEPARATOR}{site}",
        og_title=expert.name_with_credentials,
        description=description,
        canonical=absolute_url(expert.get_absolute_url()),
        og_type="profile",
    )
    rendition = social_image(expert.photo) if expert.photo_id else None
    return with_image(meta, rendition, f"Portrait of {expert.full_name}")


def page_meta(context):
    """The head of the page in `context` (a Wagtail page or an expert's profile); read once per render."""
    cached = context.get("_page_meta")
    if cached is not None:
        return cached
    page, expert = context.get("page"), context.get("expert")
    if expert is not None and page is None:
        meta = for_expert(expert)
    elif page is not None:
        meta = for_page(page, context)
    else:
        meta = with_image(PageMeta(title=settings.WAGTAIL_SITE_NAME, description=""), None, "")
    # The root context dict, so every template of this render (base, includes) shares it.
    context.dicts[0]["_page_meta"] = meta
    return meta
