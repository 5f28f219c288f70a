#!/usr/bin/env python3
"""A headless client: renders a Verity post as a standalone HTML page from the API alone.

    python3 examples/headless_post.py                                  # the demo's seed post
    python3 examples/headless_post.py --api http://127.0.0.1:8000 --slug what-it-means-if-you-cry-after-sex > post.html

Standard library only: a frontend team's starting point, not part of the site.
"""

import argparse
import json
import sys
from html import escape
from urllib.request import Request, urlopen


def fetch_json(api, path):
    if not api.startswith(("http://", "https://")):
        raise SystemExit("--api must be an http(s) address")
    request = Request(f"{api.rstrip('/')}{path}", headers={"Accept": "application/json"})  # noqa: S310
    with urlopen(request, timeout=10) as response:  # noqa: S310 - the scheme is checked above
        return json.load(response)


def cite(numbers):
    links = ", ".join(f'<a href="#source-{n}">{n}</a>' for n in numbers or [])
    return f"<sup>[{links}]</sup>" if links else ""


def render_block(block):
    kind = block["type"]
    if kind == "heading":
        return f'<{block["level"]} id="{escape(block["anchor"])}">{escape(block["text"])}</{block["level"]}>'
    if kind in ("paragraph",):
        return block["html"]
    if kind == "list":
        tag = block["style"]
        return f"<{tag}>" + "".join(f"<li>{escape(item)}</li>" for item in block["items"]) + f"</{tag}>"
    if kind == "image":
        image = block["image"]
        return f'<figure><img src="{escape(image["renditions"][0]["url"])}" alt="{escape(image["alt"])}"></figure>'
    if kind == "expert_quote":
        expert = block["expert"]
        who = escape(expert["name"]) + (f", {escape(expert['credentials'])}" if expert["credentials"] else "")
        return (
            f'<figure class="expert-quote"><blockquote>{escape(block["quote"])}{cite(block["sources"])}</blockquote>'
            f'<figcaption><a href="{escape(expert["profile_url"])}">{who}</a></figcaption></figure>'
        )
    if kind == "quote":
        return (
            f"<figure><blockquote>{escape(block['quote'])}{cite(block['sources'])}</blockquote>"
            f"<figcaption>— {escape(block['attribution'])}</figcaption></figure>"
        )
    if kind == "statistic":
        unit = "%" if block["unit"] == "percent" else ""
        return (
            f'<aside class="statistic"><strong>{escape(block["figure"])}{unit}</strong> '
            f"{escape(block['statement'])}{cite(block['sources'])}</aside>"
        )
    if kind == "claim":
        return f"<p>{escape(block['statement'])}{cite(block['sources'])}</p>"
    if kind == "callout":
        return f'<aside class="callout">{block["html"]}</aside>'
    if kind == "products":
        return f"<section><h2>{escape(block['heading'])}</h2>{product_cards(block['products'])}</section>"
    return ""


def product_cards(products):
    cards = []
    for product in products:
        was = f" <s>{escape(product['compare_at_price_display'])}</s>" if product["on_sale"] else ""
        cards.append(
            f'<li><a href="{escape(product["url"])}">{escape(product["title"])}</a> '
            f"{escape(product['price_display'])}{was} · {escape(product['availability_label'])}</li>"
        )
    return "<ul>" + "".join(cards) + "</ul>"


def render_shop_the_story(items):
    parts = []
    for item in items:
        if item["type"] == "product":
            parts.append(product_cards([item["product"]]))
        else:
            collection = item["collection"]
            label = "Bundle to Save" if collection["is_bundle"] else "Collection"
            savings = ""
            if collection["is_bundle"] and collection.get("savings"):
                savings = (
                    f"<p>{escape(collection['bundle_price'])} {escape(collection['currency'])} "
                    f"(save {escape(collection['savings'])}, {collection['savings_percent']}%)</p>"
                )
            parts.append(
                f"<section><p>{label}</p><h3>{escape(collection['title'])}</h3>{savings}"
                f"{product_cards(collection['products'])}</section>"
            )
    return f"<section><h2>Shop The Story</h2>{''.join(parts)}</section>" if parts else ""


def render_post(post):
    review = post["medical_review"]
    review_line = ""
    if review["status"] == "reviewed":
        reviewer = review["reviewer"]
        review_line = (
            f'<p class="reviewed">Medically reviewed by <a href="{escape(reviewer["profile_url"])}">'
            f"{escape(reviewer['name'])}</a>, {escape(reviewer['credentials'])} on {review['reviewed_at'][:10]}</p>"
        )
    sources = "".join(
        f'<li id="source-{s["number"]}">'
        + (f'<a href="{escape(s["url"])}">{escape(s["title"])}</a>' if s["url"] else escape(s["title"]))
        + (f", {escape(s['publisher'])}" if s["publisher"] else "")
        + (f" ({s['year']})" if s["year"] else "")
        + "</li>"
        for s in post["sources"]
    )
    body = "\n".join(render_block(block) for block in post["body"])
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(post["title"])}</title></head>'
        f"<body><main><article><h1>{escape(post['title'])}</h1><p>{escape(post['dek'])}</p>{review_line}\n{body}"
        f"<section><h2>Sources</h2><ol>{sources}</ol></section></article>"
        f"{render_shop_the_story(post['shop_the_story'])}</main></body></html>"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", default="http://127.0.0.1:8000", help="the Verity site's address")
    parser.add_argument("--slug", default="what-it-means-if-you-cry-after-sex")
    args = parser.parse_args(argv)
    sys.stdout.write(render_post(fetch_json(args.api, f"/api/v3/posts/by-slug/{args.slug}/")))


if __name__ == "__main__":
    main()
