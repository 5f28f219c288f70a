"""Mobile first, in real Chromium: no page scrolls sideways at phone widths from 320 px, and every link and
control, citations included, is a target of at least 24 by 24 CSS pixels (WCAG 2.2, 2.5.8 Target Size)."""

from .site_pages import page_types

PHONE_WIDTHS = (320, 360, 390, 412)
MIN_TARGET = 24

# The targets too small to tap: visible links, buttons and inputs under 24 px in either direction, unless
# WCAG's exceptions apply (an inline link inside a sentence, whose size the line sets, with 24 px of spacing
# around it is allowed; we check the stricter rule for everything but links inside running text).
SMALL_TARGETS = """
(minimum) => {
    const small = [];
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (el.closest('.visually-hidden, .skip-link, [hidden]')) continue;
        const inline = style.display === 'inline' && el.closest('p, li, td, figcaption, blockquote')
            && !el.closest('.cite');
        if (inline) continue;
        if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
            small.push(`${el.outerHTML.slice(0, 120)} ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return small;
}
"""


def test_no_page_scrolls_sideways_at_phone_widths(page):
    pages = page_types()
    overflowing = []
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for name, url in pages.items():
            page.goto(url)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                overflowing.append(f"{name} at {width}px: scrollWidth {scroll_width}")
    assert overflowing == []


def test_every_target_is_at_least_24_pixels_on_a_phone(page):
    page.set_viewport_size({"width": 360, "height": 800})
    small = {}
    for name, url in page_types().items():
        page.goto(url)
        found = page.evaluate(SMALL_TARGETS, MIN_TARGET)
        if found:
            small[name] = found
    assert small == {}


def test_citation_links_are_24_pixels_and_lead_to_their_source(page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(page_types()["post"])
    citations = page.locator("sup.cite a")
    assert citations.count() > 0
    for index in range(citations.count()):
        box = citations.nth(index).bounding_box()
        assert box["width"] >= MIN_TARGET - 0.5 and box["height"] >= MIN_TARGET - 0.5, box
    first = citations.first
    target = first.get_attribute("href")
    first.click()
    assert page.evaluate("location.hash") == target
