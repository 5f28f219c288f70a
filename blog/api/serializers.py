"""A post as the API gives it (cms/api/schemas.py's Post): its body block by block, its Shop The Story, its
sources and its medical review, with the tracked links the shop counts clicks through (shop/clicks.py)."""

from django.utils.text import slugify

from cms.api.serializers import FIGURE_RENDITIONS, Serializer, decimal_string, expand_rich_texts
from cms.blocks import NOT_MEDICAL_ADVICE
from cms.models import HelpResource
from cms.site.citations import is_live
from cms.site.structured_data import blog_posting, social_image
from shop.clicks import absolute_tracked_url
from shop.placements import SHOP_THE_STORY, products_module


class PostSerializer(Serializer):
    def post(self, post, related_posts=()):
        citations = post.citations
        review = post.medical_review
        hero = social_image(post.hero_image) if post.hero_image_id else None
        return {
            **self.post_summary(post, FIGURE_RENDITIONS),
            "seo_title": post.seo_title,
            "search_description": post.search_description,
            "body": BodySerializer(self, citations, post).blocks(post.body),
            "shop_the_story": self.shop_the_story(post.shop_the_story, post),
            "sources": [{"number": number, **self.source(source)} for number, source in citations.numbered()],
            "medical_review": {
                "status": "reviewed" if review else "not reviewed",
                "reviewer": self.reviewer(review.reviewer, review.credentials_display) if review else None,
                "reviewed_at": review.reviewed_at if review else None,
                # The trust layer (cms/review/): only verified, current credentials; whether an outside
                # reviewer (by invitation link, no account) signed it off; when the content last changed.
                "credentials": [self.credential(c) for c in review.credentials] if review else [],
                "outside_reviewer": bool(review and review.outside),
                "updated_at": post.updated_at,
                "history": [
                    {"kind": e.kind, "label": e.label, "at": e.at, "role": e.role, "name": e.name}
                    for e in post.review_history
                ],
            },
            "commercial_disclosure": post.commercial_disclosure,
            "related_posts": [self.post_summary(related) for related in related_posts],
            "json_ld": blog_posting(post, self.request, hero.url if hero else None),
        }

    def shop_the_story(self, stream, post):
        items = []
        for block in stream:
            if not is_live(block.value):
                continue
            link = absolute_tracked_url(post, SHOP_THE_STORY, block.value)
            if block.block_type == "product":
                items.append(
                    {"type": "product", "id": block.id, "product": self.product_card(block.value), "tracked_url": link}
                )
            else:
                bundle_link = link if block.value.is_bundle else ""
                items.append(
                    {
                        "type": "collection",
                        "id": block.id,
                        "collection": self.collection(block.value),
                        "tracked_url": bundle_link,
                    }
                )
        return items


class BodySerializer:
    """A post's body blocks as typed dicts; a block with nothing public left to show is left out."""

    RICH_TEXT_BLOCKS = {"paragraph": lambda value: value, "callout": lambda value: value["text"]}

    def __init__(self, serializer, citations, post=None):
        self.serializer = serializer
        self.citations = citations
        self.post = post  # whose shop modules' tracked links the products blocks carry

    def blocks(self, stream):
        stream = list(stream)
        rich_blocks = [block for block in stream if block.block_type in self.RICH_TEXT_BLOCKS]
        html = expand_rich_texts([self.RICH_TEXT_BLOCKS[block.block_type](block.value) for block in rich_blocks])
        self.html = {id(block): text for block, text in zip(rich_blocks, html, strict=True)}
        result = []
        for block in stream:
            data = getattr(self, block.block_type)(block, block.value)
            if data is not None:
                result.append({"type": block.block_type, "id": block.id, **data})
        return result

    def numbers(self, sources):
        """The numbers of the published sources, as the site's citation marks show them."""
        numbers = {self.citations.number_of(source) for source in sources if is_live(source)}
        return sorted(number for number in numbers if number)

    def heading(self, block, value):
        return {"text": value["text"], "level": value["level"], "anchor": slugify(value["text"])}

    def paragraph(self, block, value):
        return {"html": self.html[id(block)]}

    def list(self, block, value):
        return {"style": value["style"], "items": list(value["items"])}

    def image(self, block, value):
        image = value["image"]
        if image is None:
            return None
        alt = getattr(image, "contextual_alt_text", None)
        return {
            "image": self.serializer.image(image, FIGURE_RENDITIONS, alt=alt or ""),
            "caption": value["caption"] or "",
        }

    def expert_quote(self, block, value):
        expert = value["expert"]
        if not is_live(expert):
            return None
        return {
            "quote": value["quote"],
            "expert": self.serializer.expert_card(expert),
            "sources": self.numbers(value["sources"]),
        }

    def quote(self, block, value):
        return {
            "quote": value["quote"],
            "attribution": value["attribution"],
            "sources": self.numbers([value["source"]]),
        }

    def statistic(self, block, value):
        return {
            "figure": decimal_string(value["figure"]) or "",
            "unit": value["unit"],
            "statement": value["statement"],
            "population": value["population"] or "",
            "sample_size": value["sample_size"],
            "year": value["year"],
            "sources": self.numbers(value["sources"]),
        }

    def claim(self, block, value):
        return {"statement": value["statement"], "sources": self.numbers(value["sources"])}

    def callout(self, block, value):
        return {"tone": value["tone"], "title": value["title"] or "", "html": self.html[id(block)]}

    def not_medical_advice(self, block, value):
        return {"text": value.get("text") or NOT_MEDICAL_ADVICE}

    def get_help(self, block, value):
        country = (value.get("country") or "").upper()
        fields = ("name", "description", "phone", "text", "url", "hours")
        resources = list(HelpResource.objects.filter(country=country).values(*fields))
        return {"heading": value["heading"], "intro": value["intro"] or "", "country": country, "resources": resources}

    def products(self, block, value):
        products = self.serializer.live_products(value["products"])
        if not products:
            return None
        module = products_module(value["heading"])
        links = [
            {"target_id": product["id"], "url": absolute_tracked_url(self.post, module, product["id"])}
            for product in products
        ]
        return {"heading": value["heading"], "products": products, "module": module, "tracked_links": links}
