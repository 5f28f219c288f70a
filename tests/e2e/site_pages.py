"""Every public page type of the demo, by name: what the browser tests of the design visit."""

from blog.models import BlogPostPage
from cms.models import Expert
from shop.models import CollectionPage, ProductPage

SEED_SLUG = "what-it-means-if-you-cry-after-sex"


def page_types():
    """One URL of each page type the site serves to readers, the 404 included."""
    post = BlogPostPage.objects.live().get(slug=SEED_SLUG)
    product = ProductPage.objects.live().order_by("path").first()
    tag = post.tags.order_by("name").first()
    return {
        "home": "/",
        "blog index": post.get_parent().url,
        "post": post.url,
        "tag": f"{post.get_parent().url}?tag={tag.slug}",
        "search": "/search/?q=aftercare",
        "expert": Expert.objects.live().exclude(user=None).first().get_absolute_url(),
        "shop index": product.get_parent().url,
        "product": product.url,
        "collection": CollectionPage.objects.live().filter(bundle_price=None).first().url,
        "bundle": CollectionPage.objects.live().exclude(bundle_price=None).first().url,
        "404": "/no-such-page/",
    }
