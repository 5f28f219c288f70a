import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cms import site_address, structured_data

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
    links = format_html_join(", ", '<a href="#source-{0}" aria-label="Source {0}">{0}</a>', ((n,) for n in numbers))
    return format_html('<sup class="cite">[{}]</sup>', links)


@register.simple_tag
def json_ld(data):
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def blog_posting_ld(context, page, image_url=None):
    return json_ld(structured_data.blog_posting(page, context.get("request"), image_url))


@register.simple_tag(takes_context=True)
def product_ld(context, page, image_url=None):
    return json_ld(structured_data.product(page, context.get("request"), image_url))


@register.simple_tag
def absolute_url(url):
    """A path such as a rendition's on the site's public address (cms/site_address.py), never the
    request's host; URLs that are already absolute (media on a storage's domain) pass through."""
    return site_address.absolute_url(url)


@register.simple_tag(takes_context=True)
def public_page_url(context, page):
    """A page's absolute URL on the site's public address, whatever host the request named."""
    return site_address.page_url(page, context.get("request"))
