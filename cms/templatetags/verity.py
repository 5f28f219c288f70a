import json
from urllib.parse import urlencode

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cms.site import address, search_terms, structured_data
from cms.site.page_meta import page_meta
from cms.site.sections import sections_of

register = template.Library()

# Characters that could close a <script> element or open an HTML comment, escaped inside JSON-LD.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def cite(context, sources):
    """Superscript links from a claim to its numbered entries in the page's Sources list."""
    citations = context.get("citations")
    if not citations or not sources:
        return ""
    if not isinstance(sources, (list, tuple)) and not hasattr(sources, "__iter__"):
        sources = [sources]
    numbers = sorted({n for n in (citations.number_of(source) for source in sources) if n})
    if not numbers:
        return ""
    # Each number its own 24-pixel target (WCAG 2.5.8), told apart by a thin space rather than brackets.
    links = format_html_join("", '<a href="#source-{0}" aria-label="Source {0}">{0}</a>', ((n,) for n in numbers))
    return format_html('<sup class="cite">{}</sup>', links)


@register.simple_tag
def json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


def rendition_or_url(image):
    """A template may pass a rendition (og_image) or its URL: the JSON-LD wants the rendition's size too."""
    if image is None or isinstance(image, str):
        return None, image
    return image, image.url


@register.simple_tag(takes_context=True)
def blog_posting_ld(context, page, image=None):
    rendition, url = rendition_or_url(image)
    return json_ld(structured_data.blog_posting(page, context.get("request"), url, rendition))


@register.simple_tag(takes_context=True)
def product_ld(context, page, image=None):
    _rendition, url = rendition_or_url(image)
    return json_ld(structured_data.product(page, context.get("request"), url))


@register.simple_tag(takes_context=True)
def collection_ld(context, page):
    meta = page_meta(context)
    return json_ld(
        structured_data.collection(page, context.get("request"), meta.image_url if meta.has_own_image else None)
    )


@register.simple_tag(takes_context=True)
def expert_ld(context, expert):
    meta = page_meta(context)
    return json_ld(structured_data.expert_profile(expert, meta.image_url if meta.has_own_image else None))


@register.simple_tag(takes_context=True)
def home_ld(context, page):
    return json_ld(structured_data.home_page(page, context.get("request"), page_meta(context).image_url))


@register.simple_tag(takes_context=True)
def listing_ld(context, page, schema_type="CollectionPage"):
    return json_ld(structured_data.listing_page(page, context.get("request"), schema_type))


@register.simple_tag(takes_context=True)
def page_ld(context):
    """The page's JSON-LD by what it is (structured_data.for_page), for templates that name none."""
    page = context.get("page")
    if page is None:
        return ""
    meta = page_meta(context)
    image_url = meta.image_url if meta.has_own_image else None
    data = structured_data.for_page(page, context.get("request"), context.get("collection"), image_url)
    return json_ld(data) if data else ""


@register.simple_tag
def absolute_url(url):
    """A path such as a rendition's on the site's public address (cms/site/address.py), never the
    request's host; URLs that are already absolute (media on a storage's domain) pass through."""
    return address.absolute_url(url)


@register.simple_tag(takes_context=True)
def public_page_url(context, page):
    """A page's absolute URL on the public address, whatever host the request named."""
    return address.page_url(page, context.get("request"))


@register.simple_tag(takes_context=True)
def meta(context):
    """The page's title, description, canonical URL and social image (cms/site/page_meta.py), read once."""
    return page_meta(context)


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The site's sections for the header and footer (cms/site/sections.py)."""
    return sections_of(context)


@register.simple_tag(takes_context=True)
def tag_url(context, tag):
    """Where a tag's posts are listed: the blog index, filtered by the tag."""
    index = sections_of(context).blog
    return f"{index.url}?{urlencode({'tag': tag.slug})}" if index else ""


@register.filter
def iso_seconds(moment):
    """A datetime as ISO 8601 to the second, as <time datetime> and the HTML checker want."""
    return moment.replace(microsecond=0).isoformat() if moment else ""


@register.filter
def result_kind(page):
    """What a search result is, in readers' words (cms/site/search_terms.py)."""
    return search_terms.result_kind(page)
