"""What a post must have before it is submitted for review (or published), beyond its fields' own validation:

- every product it sells (a "Shop Now" module, Shop The Story, the products of a collection or bundle in it)
  vetted (`ProductPage.is_vetted`: vetted by whom, on which date);
- a "get help" block when it is tagged with a sensitive topic (Settings → Editorial standards).

Drafts keep unfinished work: "Save draft" defers these, like the other required fields. The admin's form
(`BlogPostPageForm`) reports each above the form; the API's submit asks `BlogPostPage.submission_problems()` too.
"""

from wagtail.admin.forms import WagtailAdminPageForm

from cms.models.editorial_standards import editorial_standards

SAFETY_BLOCK_TYPE = "get_help"


def products_in(body, shop_the_story):
    """Every product a post sells, with where it appears: in "Shop Now" modules, in Shop The Story, and in the
    collections and bundles Shop The Story holds."""
    found = []
    for block in body:
        if block.block_type == "products":
            found += [(product, f"“{block.value.get('heading') or 'Shop Now'}”") for product in block.value["products"]]
    for block in shop_the_story:
        if block.value is None:
            continue
        if block.block_type == "product":
            found.append((block.value, "Shop The Story"))
        else:
            collection = block.value
            found += [(item.product, f"the collection “{collection.title}”") for item in collection.items.all()]
    return [(product, where) for product, where in found if product is not None]


def unvetted_products_message(body, shop_the_story):
    unvetted = {}
    for product, where in products_in(body, shop_the_story):
        if not getattr(product, "is_vetted", False):
            unvetted.setdefault(product.pk, (product, []))[1].append(where)
    if not unvetted:
        return None
    names = "; ".join(
        f"“{product.title}” (in {', '.join(dict.fromkeys(wheres))})" for product, wheres in unvetted.values()
    )
    return f"This post sells products nobody has vetted yet: {names}. A shop manager vets them before it is submitted."


def missing_safety_message(tag_names, body, standards=None):
    standards = standards or editorial_standards()
    sensitive = sorted(name for name in tag_names if name.strip().lower() in standards.sensitive_tag_names())
    if not sensitive or any(block.block_type == SAFETY_BLOCK_TYPE for block in body):
        return None
    return (
        f"Posts tagged {', '.join(f'“{name}”' for name in sensitive)} need a “Get help” block (crisis lines and "
        "support for the reader's country): add one to the body before submitting."
    )


def submission_problems(tag_names, body, shop_the_story):
    """[(field name, message)] of what keeps a post from being submitted."""
    problems = []
    if message := missing_safety_message(tag_names, body):
        problems.append(("body", message))
    if message := unvetted_products_message(body, shop_the_story):
        problems.append(("body" if any(b.block_type == "products" for b in body) else "shop_the_story", message))
    return problems


class BlogPostPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        if self.is_deferred_validation:
            return cleaned_data  # Save draft
        body, shop_the_story = cleaned_data.get("body"), cleaned_data.get("shop_the_story")
        if body is None or shop_the_story is None:
            return cleaned_data  # their own errors come first
        tags = cleaned_data.get("tags") or []
        tag_names = [getattr(tag, "name", tag) for tag in tags]
        # Whole-form errors, shown above the form: a StreamField's own error list holds only block errors.
        for _field, message in submission_problems(tag_names, body, shop_the_story):
            self.add_error(None, message)
        return cleaned_data
