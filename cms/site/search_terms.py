def plain_words(query):
    """A search query as plain words. Double quotes mean nothing to Wagtail's plain-text queries but break
    SQLite's full-text syntax, so they are dropped; a query of blanks is empty."""
    return " ".join((query or "").replace('"', " ").split())


# What a search result is, in readers' words, by the page's model (app_label.ModelName); a page type not
# named here is called what its section calls itself, else "Page".
RESULT_KINDS = {
    "blog.blogpostpage": "Article",
    "blog.blogindexpage": "All articles",
    "shop.productpage": "Product",
    "shop.shopindexpage": "Shop",
    "cms.homepage": "Home",
}


def result_kind(page):
    """A search result's label for readers: "Article", "Product", "Bundle", "Collection"."""
    if getattr(page, "is_bundle", None) is True:
        return "Bundle"
    if getattr(page, "is_bundle", None) is False:
        return "Collection"
    return RESULT_KINDS.get(page._meta.label_lower, "Page")
