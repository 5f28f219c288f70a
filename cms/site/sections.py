"""The site's sections — the live pages under its root (the blog, the shop) — for the header's navigation,
the footer and the links that lead to a section (a tag's posts, the RSS feed), so that no template spells a
section's path: an editor who renames the blog's slug moves every link with it.

Read once per request, in one query: Wagtail's `specific(defer=True)` gives each page its own class
(so the blog index can reverse its routes) without reading its fields.
"""

from dataclasses import dataclass, field

from wagtail.models import Page, Site

FEED_ROUTE = "feed"


@dataclass
class Sections:
    home: Page | None = None
    pages: list = field(default_factory=list)
    blog: Page | None = None  # the section with a feed: the blog index
    feed_url: str = ""


def feed_url_of(page):
    """The URL of the page's RSS feed route, or "" when it has none (RoutablePageMixin's reverse_subpage)."""
    reverse = getattr(page, "reverse_subpage", None)
    if reverse is None:
        return ""
    try:
        return page.url + reverse(FEED_ROUTE)
    except Exception:  # NoReverseMatch: a routable page without a feed
        return ""


def read_sections(request):
    site = Site.find_for_request(request) if request is not None else Site.objects.filter(is_default_site=True).first()
    if site is None:
        return Sections()
    root = site.root_page
    pages = list(root.get_children().live().public().specific(defer=True).order_by("path"))
    sections = Sections(home=root, pages=pages)
    for page in pages:
        url = feed_url_of(page)
        if url:
            sections.blog, sections.feed_url = page, url
            break
    return sections


def sections_of(context):
    request = context.get("request")
    if request is None:
        return read_sections(None)
    if not hasattr(request, "_verity_sections"):
        request._verity_sections = read_sections(request)
    return request._verity_sections
