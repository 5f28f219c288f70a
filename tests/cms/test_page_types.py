"""Where each page type may live in the tree, and how many of the singletons there may be."""

import pytest
from wagtail.models import Page

from blog.models import BlogIndexPage, BlogPostPage
from cms.models import HomePage
from shop.models import CollectionPage, ProductPage, ShopIndexPage

from .. import factories


@pytest.fixture
def root(db):
    return Page.get_first_root_node()


@pytest.fixture
def tree(root, home, blog, shop):
    """One page of every type, keyed by what it is."""
    post = factories.make_post(blog, hero_image=None)
    product = factories.make_product(shop)
    collection = factories.make_collection(shop, [product])
    return {
        "root": root,
        "home": home,
        "blog": blog,
        "shop": shop,
        "post": post,
        "product": product,
        "collection": collection,
    }


# Each page type and the only parent it may exist under.
ALLOWED_PARENT = {
    HomePage: "root",
    BlogIndexPage: "home",
    BlogPostPage: "blog",
    ShopIndexPage: "home",
    ProductPage: "shop",
    CollectionPage: "shop",
}

ALLOWED_CHILDREN = {
    HomePage: {BlogIndexPage, ShopIndexPage},
    BlogIndexPage: {BlogPostPage},
    BlogPostPage: set(),
    ShopIndexPage: {ProductPage, CollectionPage},
    ProductPage: set(),
    CollectionPage: set(),
}


@pytest.mark.parametrize("model", list(ALLOWED_PARENT), ids=lambda model: model.__name__)
def test_each_page_type_exists_only_under_its_parent(tree, model):
    allowed = ALLOWED_PARENT[model]
    for name, parent in tree.items():
        assert model.can_exist_under(parent) == (name == allowed), f"{model.__name__} under {name}"


@pytest.mark.parametrize("model", list(ALLOWED_CHILDREN), ids=lambda model: model.__name__)
def test_each_page_type_allows_only_its_subpage_types(model):
    assert set(model.allowed_subpage_models()) == ALLOWED_CHILDREN[model]


def test_the_root_allows_a_home_page_and_nothing_else_of_ours(root):
    ours = {HomePage, BlogIndexPage, BlogPostPage, ShopIndexPage, ProductPage, CollectionPage}
    assert ours & set(root.specific_class.allowed_subpage_models()) == {HomePage}


def test_posts_can_be_created_only_in_the_blog(tree):
    assert BlogPostPage.can_create_at(tree["blog"])
    for name in ("root", "home", "shop", "post", "product", "collection"):
        assert not BlogPostPage.can_create_at(tree[name]), name


@pytest.mark.parametrize("model", [ProductPage, CollectionPage], ids=lambda model: model.__name__)
def test_products_and_collections_can_be_created_only_in_the_shop(tree, model):
    assert model.can_create_at(tree["shop"])
    for name in ("root", "home", "blog", "post", "product", "collection"):
        assert not model.can_create_at(tree[name]), name


def test_index_pages_can_be_created_under_the_home_page_once(home):
    assert BlogIndexPage.can_create_at(home)
    assert ShopIndexPage.can_create_at(home)
    factories.add_page(home, BlogIndexPage(title="Blog", slug="blog"))
    factories.add_page(home, ShopIndexPage(title="Shop", slug="shop"))
    assert not BlogIndexPage.can_create_at(home)
    assert not ShopIndexPage.can_create_at(home)


def test_there_is_at_most_one_home_page(root, home):
    assert HomePage.max_count == 1
    assert HomePage.objects.count() == 1
    assert HomePage.can_exist_under(root)
    assert not HomePage.can_create_at(root), "a second home page"


def test_a_home_page_can_be_created_under_the_root_when_there_is_none(root, home):
    home.delete()
    assert HomePage.can_create_at(root)
