"""axe-core in real Chromium on every page type, at a desktop and a phone width: no violation of WCAG 2.0,
2.1 and 2.2 A and AA (axe's own rules, shipped by axe-playwright-python)."""

from axe_playwright_python.sync_playwright import Axe

from .site_pages import page_types

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 360)


def violations_of(page, axe):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [
        f"{violation['id']}: {violation['help']} ({', '.join(node['target'][0] for node in violation['nodes'][:3])})"
        for violation in results.response["violations"]
    ]


def test_no_wcag_22_aa_violation_on_any_page_type(page):
    axe = Axe()
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in page_types().items():
            page.goto(url)
            violations = violations_of(page, axe)
            if violations:
                found[f"{name} at {width}px"] = violations
    assert found == {}
