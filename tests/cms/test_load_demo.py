"""`load_demo`: the seed article, faithful to cms/demo/seed.txt, its experts, sources, shop and demo users.

Loading the demo takes several seconds, so this module loads it once, in a transaction it rolls back at
the end; each test still runs in its own savepoint, as with the suite's function-scoped `demo` fixture.
"""

import copy
import io
import os
import re
import subprocess
import sys
from collections import Counter
from contextlib import redirect_stdout
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from blog.models import BlogPostPage
from cms.demo import content
from cms.models import Expert, HomePage, Source
from shop.models import CollectionItem, CollectionPage, ProductImage, ProductPage

from ..module_db import rolled_back_after_module

SEED_URL = "/blog/what-it-means-if-you-cry-after-sex/"
SEED_TEXT = (settings.BASE_DIR / "cms" / "demo" / "seed.txt").read_text(encoding="utf-8")
BODY_START, BODY_END = "Sex is supposed to be", "mental health expert."

# How the seed's quote paragraphs read on the page: the quote alone inside a quote card (its closing
# comma becomes a full stop), and the attribution in the card's caption instead of the "says Dr. ..." tail.
QUOTE_LINE = re.compile(r'^["“](?P<quote>.+?)[,.]["”] (?P<tail>.+)$')
QUOTE_CAPTIONS = {
    "says Dr. Marie Tudor, a medical sexologist.": "Dr. Marie Tudor, Medical sexologist",
    # The seed breaks off here; the card names Dr. Tantry with demo credentials.
    "says Dr. Tantry of": "Dr. Tantry, Sex and relationship therapist (demo)",
    "says Dr. Tantry.": "Dr. Tantry, Sex and relationship therapist (demo)",
    "one person said of their experience in a survey in the Journal of Sexual and Mental Health.": (
        "— One person, of their experience, in a survey in the Journal of Sexual and Mental Health"
    ),
}
# Seed paragraphs whose sentences the post splits into separate blocks (a paragraph, statistics, a claim),
# so they appear sentence by sentence rather than as one run of text.
SPLIT_PARAGRAPHS = {
    "While more research needs to be done on the topic, PCD seems fairly common.": ["paragraph", "statistic"],
    "Another survey from 2020 of 223 women and 76 men found": ["statistic", "claim"],
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
# The workflow emails of the demo's post in medical review: its submission and the editorial approval.
DEMO_EMAILS = 5


def normalise(text):
    return " ".join(text.split())


def text_of(element):
    return normalise(element.get_text())


def seed_body_lines():
    """The non-empty lines of the seed article's body, whitespace normalised."""
    start = SEED_TEXT.index(BODY_START)
    end = SEED_TEXT.index(BODY_END) + len(BODY_END)
    return [normalise(line) for line in SEED_TEXT[start:end].splitlines() if normalise(line)]


@pytest.fixture(scope="module")
def module_media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(module_media):
    """Overrides the suite's per-test media folder: the demo's images must outlive a single test."""


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, module_media):
    """The demo site, loaded once for the module by the command an operator runs; rolled back afterwards."""
    with rolled_back_after_module(django_db_blocker):
        with django_db_blocker.unblock():
            # As in development, where the console backend prints every email to the terminal.
            output, console = io.StringIO(), io.StringIO()
            with override_settings(EMAIL_BACKEND=CONSOLE_EMAIL), redirect_stdout(console):
                call_command("load_demo", stdout=output)
            seed_html = Client().get(SEED_URL).content.decode()
        yield {"seed_html": seed_html, "output": output.getvalue(), "console": console.getvalue()}
    cache.clear()


@pytest.fixture
def demo(demo_site, db):
    return HomePage.objects.get()


@pytest.fixture
def seed(demo):
    return BlogPostPage.objects.get(slug="what-it-means-if-you-cry-after-sex")


@pytest.fixture
def soup(demo_site, db):
    # Asks for db so pytest-django runs these tests beside the module's others, within one demo_site.
    return BeautifulSoup(demo_site["seed_html"], "html.parser")


@pytest.fixture
def body_text(soup):
    return text_of(soup.select_one(".post__body"))


def blocks_of(post, block_type):
    return [block.value for block in post.body if block.block_type == block_type]


class TestSeedPostContent:
    def test_is_live_at_its_url(self, client, seed):
        assert seed.live
        assert seed.url == SEED_URL
        assert seed.title == "What It Means If You Cry After Sex"
        assert seed.dek == "You're completely normal, we promise."
        assert client.get(SEED_URL).status_code == 200

    def test_body_has_the_expected_blocks(self, seed):
        assert Counter(block.block_type for block in seed.body) == {
            "paragraph": 18,
            "heading": 7,
            "expert_quote": 3,
            "statistic": 2,
            "claim": 2,
            "quote": 1,
            "list": 1,
            "callout": 1,
            "get_help": 1,  # the demo's addition: the seed is tagged "Emotional health", a sensitive topic
            "products": 1,
        }

    def test_headings(self, seed):
        assert [(h["level"], h["text"]) for h in blocks_of(seed, "heading")] == [
            ("h2", "What Is Postcoital Dysphoria?"),
            ("h2", "Is Crying After Sex Normal?"),
            ("h2", "What Causes Crying After Sex?"),
            ("h3", "Shame or Guilt"),
            ("h3", "Feelings About the Relationship"),
            ("h3", "Physical Pain"),
            ("h2", "What to Do When Someone Cries After Sex"),
        ]

    def test_expert_quotes(self, seed):
        quotes = blocks_of(seed, "expert_quote")
        assert [quote["expert"].full_name for quote in quotes] == ["Dr. Marie Tudor", "Dr. Tantry", "Dr. Tantry"]
        assert Counter(quote["expert"].slug for quote in quotes) == {"marie-tudor": 1, "tantry": 2}
        assert all(quote["expert"].live for quote in quotes)

    def test_statistics(self, seed):
        statistics = blocks_of(seed, "statistic")
        assert [(s["figure"], s["unit"], s["sample_size"], s["year"]) for s in statistics] == [
            (Decimal("41"), "percent", 1208, 2019),
            (Decimal("91.9"), "percent", 299, 2020),
        ]
        assert all(len(s["sources"]) == 1 for s in statistics)

    def test_claims_quote_and_list(self, seed):
        claims = blocks_of(seed, "claim")
        assert len(claims) == 2
        assert all(claim["sources"] for claim in claims)
        (quote,) = blocks_of(seed, "quote")
        assert quote["quote"].startswith("I cry during sex")
        assert quote["source"].title == content.SOURCES["jsmh-survey"]["title"]
        (symptoms,) = blocks_of(seed, "list")
        assert symptoms["style"] == "ul"
        assert list(symptoms["items"]) == [
            "Depression",
            "Crying",
            "Anxiety",
            "Irritation or aggression",
            "Regret or guilt",
            "Shame",
            "Numbness or emptiness",
            "Panic attacks",
        ]

    def test_shop_now_block(self, seed):
        (shop_now,) = blocks_of(seed, "products")
        assert shop_now["heading"] == "Shop Now"
        assert [product.sku for product in shop_now["products"]] == ["VER-LUBE-01", "VER-OIL-01", "VER-CARDS-01"]

    def test_cites_four_distinct_sources_in_order(self, seed):
        expected = [content.SOURCES[key]["title"] for key in ("psychcentral", "males-2019", "postcoital-2020")]
        expected.append(content.SOURCES["jsmh-survey"]["title"])
        assert [source.title for source in seed.citations.sources] == expected
        assert len({source.pk for source in seed.citations.sources}) == 4

    def test_shop_the_story(self, seed):
        items = [(block.block_type, block.value) for block in seed.shop_the_story]
        assert [(kind, value.title) for kind, value in items] == [
            ("collection", "The Sex Collection"),
            ("collection", "The Aftercare Bundle"),
            ("product", "Rechargeable Wand Massager"),
            ("product", "Soothing Bath Soak"),
        ]
        collection, bundle = items[0][1], items[1][1]
        assert not collection.is_bundle and len(collection.products) == 4
        assert bundle.is_bundle and bundle.bundle_price == Decimal("49.00")
        assert bundle.pricing.items_total == Decimal("60.00")
        assert bundle.savings_display == "$11.00"

    @pytest.mark.parametrize("data", content.COLLECTIONS, ids=lambda data: data["slug"])
    def test_collections_keep_the_demo_content_order(self, demo, data):
        """Items carry their position, as the admin's form gives them; without one the database picks the order."""
        collection = CollectionPage.objects.get(slug=data["slug"])
        items = list(collection.items.all())
        assert [item.sort_order for item in items] == list(range(len(data["products"])))
        assert [product.sku for product in collection.products] == data["products"]


class TestSeedPostPage:
    def test_shows_both_experts_with_credentials(self, soup):
        cards = soup.select("figure.quote-card.expert-quote")
        captions = [text_of(card.figcaption) for card in cards]
        assert captions[0].startswith("Dr. Marie Tudor, Medical sexologist")
        assert all(caption.startswith("Dr. Tantry, Sex and relationship therapist (demo)") for caption in captions[1:])
        links = [card.select_one("a.quote-card__name")["href"] for card in cards]
        assert links == ["/experts/marie-tudor/", "/experts/tantry/", "/experts/tantry/"]

    def test_shows_both_statistics(self, soup):
        figures = [text_of(figure) for figure in soup.select(".statistic .statistic__figure")]
        assert figures == ["41%", "91.9%"]

    def test_shows_the_sources_list(self, soup, seed):
        items = soup.select("section.sources ol > li")
        assert [li["id"] for li in items] == ["source-1", "source-2", "source-3", "source-4"]
        for li, source in zip(items, seed.citations.sources, strict=True):
            assert source.title in text_of(li)
        cited = {a["href"] for a in soup.select(".post__body sup.cite a")}
        assert cited == {"#source-1", "#source-2", "#source-3", "#source-4"}

    def test_shows_shop_the_story(self, soup):
        section = soup.select_one("section.shop-the-story")
        assert text_of(section.h2) == "Shop The Story"
        titles = [text_of(title) for title in section.select(".card__title")]
        assert titles == [
            "The Sex Collection",
            "The Aftercare Bundle",
            "Rechargeable Wand Massager",
            "Soothing Bath Soak",
        ]
        bundle = section.select_one(".collection-card--bundle")
        assert text_of(bundle.select_one(".eyebrow")) == "Bundle to Save"
        assert text_of(bundle.select_one(".savings")) == "Save $11.00 (18%)"

    def test_header_matches_the_seed(self, soup):
        # The seed's "← Back to all blog posts" is the breadcrumb to the blog.
        back = soup.select("nav.breadcrumbs li a")[-1]
        assert back["href"] == "/blog/" and text_of(back) == "Blog"
        assert text_of(soup.h1) == "What It Means If You Cry After Sex"
        assert text_of(soup.select_one(".post__header .dek")) == "You're completely normal, we promise."
        for line in ("Back to all blog posts", "What It Means If You Cry After Sex", "You're completely normal"):
            assert line in SEED_TEXT

    def test_every_line_of_the_seed_body_is_on_the_page_in_order(self, soup, body_text):
        """Each seed line is found after the previous one: verbatim, or by the documented deviations."""

        def quote_text(card):
            """The quote's words, without its citation's number."""
            quote = copy.copy(card.blockquote.p)
            for cite in quote.select("sup.cite"):
                cite.decompose()
            return text_of(quote)

        cards = {quote_text(card): card for card in soup.select("figure.quote-card")}
        cursor = 0
        split_found, captions_found = [], []

        def find(fragment):
            nonlocal cursor
            at = body_text.find(fragment, cursor)
            assert at >= 0, f"not on the page (after position {cursor}): {fragment!r}"
            cursor = at + len(fragment)

        for line in seed_body_lines():
            if line.startswith("•"):
                find(line.removeprefix("•").strip())
            elif quoted := QUOTE_LINE.match(line):
                quote = quoted["quote"] + "."
                find(quote)
                assert quote in cards, f"not in a quote card: {quote!r}"
                expected_caption = QUOTE_CAPTIONS[quoted["tail"]]
                assert text_of(cards[quote].figcaption).startswith(expected_caption)
                captions_found.append(quoted["tail"])
            elif body_text.find(line, cursor) >= 0:
                find(line)
            else:
                split_found.append(line)
                for sentence in SENTENCE_END.split(line):
                    find(sentence)

        assert sorted(captions_found) == sorted(QUOTE_CAPTIONS), "every quote of the seed is checked"
        assert [next((key for key in SPLIT_PARAGRAPHS if line.startswith(key)), line) for line in split_found] == list(
            SPLIT_PARAGRAPHS
        ), f"only the known paragraphs are split: {split_found}"

    def test_the_seeds_split_paragraphs_become_the_documented_blocks(self, seed):
        """The two seed paragraphs that are not verbatim on the page are split exactly as documented."""

        def text(block):
            if block.block_type == "paragraph":
                return block.value.source
            return block.value["statement"] if block.block_type in ("statistic", "claim") else ""

        blocks = list(seed.body)
        for start, expected_types in SPLIT_PARAGRAPHS.items():
            at = next(i for i, block in enumerate(blocks) if start in text(block))
            assert [block.block_type for block in blocks[at : at + len(expected_types)]] == expected_types, start

    def test_the_psychcentral_claim_closes_its_quotation(self, seed):
        """The seed leaves the PsychCentral quotation open; the claim closes it (a deliberate fix)."""
        seed_line = next(line for line in seed_body_lines() if line.startswith("According to PsychCentral"))
        assert seed_line.endswith("after sex.")
        assert blocks_of(seed, "claim")[0]["statement"] == seed_line + "”"

    def test_the_seeds_trailing_shop_modules_are_on_the_page(self, soup):
        page_text = text_of(soup)
        for line in ("Shop Now", "The Sex Collection", "Bundle to Save", "Shop The Story"):
            assert line in SEED_TEXT.split(BODY_END)[1]
            assert line in page_text, line


class TestRerun:
    def test_running_again_creates_no_duplicates(self, demo):
        models = [
            Page,
            Expert,
            Source,
            get_image_model(),
            get_user_model(),
            Group,
            Tag,
            ProductImage,
            CollectionItem,
            Revision,
        ]
        before = {model.__name__: model.objects.count() for model in models}
        call_command("load_demo", stdout=io.StringIO())
        after = {model.__name__: model.objects.count() for model in models}
        assert after == before
        assert BlogPostPage.objects.filter(slug="what-it-means-if-you-cry-after-sex").count() == 1
        assert ProductPage.objects.count() == len(content.PRODUCTS)
        assert CollectionPage.objects.count() == len(content.COLLECTIONS)
        assert Expert.objects.count() == len(content.EXPERTS)
        assert Source.objects.count() == len(content.SOURCES)

    def test_running_again_keeps_what_editors_changed(self, demo):
        Expert.objects.filter(slug="tantry").update(credentials="PhD, edited by an editor")
        ProductPage.objects.filter(sku="VER-OIL-01").update(price=Decimal("26.00"))
        call_command("load_demo", stdout=io.StringIO())
        assert Expert.objects.get(slug="tantry").credentials == "PhD, edited by an editor"
        assert ProductPage.objects.get(sku="VER-OIL-01").price == Decimal("26.00")


class TestRolesAndUsers:
    def test_the_editorial_groups_exist(self, demo):
        names = set(Group.objects.values_list("name", flat=True))
        assert {"Editors", "Editorial leads", "Medical reviewers", "Shop managers"} <= names

    @pytest.mark.parametrize(
        ("username", "group"),
        [
            ("editor", "Editors"),
            ("lead", "Editorial leads"),
            ("reviewer", "Medical reviewers"),
            ("shop", "Shop managers"),
            ("admin", None),
        ],
    )
    def test_each_demo_user_signs_in_with_the_demo_password(self, demo, username, group):
        user = get_user_model().objects.get(username=username)
        assert user.check_password("verity-demo")
        assert user.is_active
        assert list(user.groups.values_list("name", flat=True)) == ([group] if group else [])
        assert user.is_superuser == (username == "admin")
        assert Client().login(username=username, password="verity-demo")

    def test_the_reviewer_is_an_expert(self, demo):
        expert = Expert.objects.get(user__username="reviewer")
        assert expert.full_name == "Dr. Ana Reyes"
        assert expert.live

    def test_the_editor_cannot_publish_and_the_lead_can(self, seed):
        users = get_user_model().objects.in_bulk(["editor", "lead", "admin"], field_name="username")
        editor_can = seed.permissions_for_user(users["editor"])
        assert editor_can.can_edit()
        assert not editor_can.can_publish()
        assert not editor_can.can_unpublish()
        assert seed.permissions_for_user(users["lead"]).can_publish()
        assert seed.permissions_for_user(users["admin"]).can_publish()


class TestOutput:
    def test_prints_the_addresses_and_the_logins(self, demo_site, db):
        output = demo_site["output"]
        base = settings.WAGTAILADMIN_BASE_URL
        assert f"Site       {base}/\n" in output
        assert f"Seed post  {base}{SEED_URL}\n" in output
        assert f"Admin      {base}/admin/\n" in output
        assert f"API        {base}/api/v3/posts/\n" in output
        assert f"API schema {base}/api/v3/openapi.json\n" in output
        assert "Logins, all with the password verity-demo:" in output
        for username, _first, _last, group in content.USERS:
            assert re.search(rf"^  {username} +{group or 'Superuser'} +\S", output, re.MULTILINE), username

    def test_every_printed_address_answers(self, demo_site, db):
        base = settings.WAGTAILADMIN_BASE_URL
        urls = re.findall(rf"{re.escape(base)}(/\S*)", demo_site["output"])
        assert len(urls) == 5, urls
        client = Client()
        for path in urls:
            expected = 302 if path.startswith("/admin/") else 200  # the admin sends to its login page
            assert client.get(path).status_code == expected, path

    def test_keeps_the_emails_out_of_the_console_and_says_so(self, demo_site, db):
        assert "Subject:" not in demo_site["console"] and demo_site["console"] == ""
        assert f"{DEMO_EMAILS} workflow notification emails held back, not sent" in demo_site["output"]
        assert "load_demo --show-emails" in demo_site["output"]
        assert demo_site["output"].index("Logins") < demo_site["output"].index("held back")

    def test_held_emails_are_not_sent_by_any_backend(self, demo):
        """Rebuilt from scratch, the post in medical review causes its emails again; none goes out."""
        BlogPostPage.objects.get(slug=content.POST_IN_MEDICAL_REVIEW["slug"]).delete()
        console, output = io.StringIO(), io.StringIO()
        with redirect_stdout(console):
            call_command("load_demo", stdout=output)
        assert mail.outbox == []  # the test settings' in-memory backend received nothing
        assert console.getvalue() == ""
        assert f"{DEMO_EMAILS} workflow notification emails held back" in output.getvalue()

    def test_show_emails_sends_them_with_the_configured_backend(self, demo):
        BlogPostPage.objects.get(slug=content.POST_IN_MEDICAL_REVIEW["slug"]).delete()
        console, output = io.StringIO(), io.StringIO()
        with override_settings(EMAIL_BACKEND=CONSOLE_EMAIL), redirect_stdout(console):
            call_command("load_demo", "--show-emails", stdout=output)
        assert console.getvalue().count("\nSubject: ") == DEMO_EMAILS
        assert "held back" not in output.getvalue()
        assert "Logins, all with the password verity-demo:" in output.getvalue()

    def test_a_rerun_holds_back_nothing_and_says_nothing_of_emails(self, demo):
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        assert "email" not in output.getvalue()
        assert "Seed post" in output.getvalue()


class TestProductionGuard:
    """Demo accounts with the documented password only where VERITY_DEMO_ALLOWED is on (dev, test, a demo
    deployment such as `verity.py stack`); elsewhere load_demo refuses unless forced, and then every demo
    account gets a random password, printed once."""

    def test_the_production_settings_refuse_it(self, tmp_path):
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "a-production-like-secret-key-for-this-test-only",
            "ALLOWED_HOSTS": "verity.example.com",
            "WAGTAILADMIN_BASE_URL": "https://verity.example.com",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'never-created.sqlite3'}",
        }
        environ.pop("VERITY_DEMO_ALLOWED", None)
        result = subprocess.run(
            [sys.executable, "manage.py", "load_demo", "--skip-checks"],
            cwd=settings.BASE_DIR,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "runs only where VERITY_DEMO_ALLOWED is on" in result.stderr
        assert "--i-know-this-is-production" in result.stderr
        assert not (tmp_path / "never-created.sqlite3").exists()

    def test_refused_where_demo_accounts_are_not_allowed(self, db):
        before = get_user_model().objects.count(), Page.objects.count()
        with override_settings(VERITY_DEMO_ALLOWED=False), pytest.raises(CommandError, match="VERITY_DEMO_ALLOWED"):
            call_command("load_demo", stdout=io.StringIO())
        assert (get_user_model().objects.count(), Page.objects.count()) == before

    def test_forced_it_gives_every_demo_account_a_random_password_printed_once(self, demo):
        User = get_user_model()
        User.objects.get(username="shop").delete()  # created anew below; the others still have the demo's
        User.objects.filter(username="lead").update(password="")
        lead = User.objects.get(username="lead")
        lead.set_password("the-lead-chose-this-one")
        lead.save()

        output = io.StringIO()
        with override_settings(VERITY_DEMO_ALLOWED=False):
            call_command("load_demo", "--i-know-this-is-production", stdout=output)
        printed = dict(re.findall(r"^  (\w+) .* password (\S+)$", output.getvalue(), re.MULTILINE))
        assert content.DEMO_PASSWORD not in output.getvalue()
        assert printed["lead"] == "(unchanged)"
        assert User.objects.get(username="lead").check_password("the-lead-chose-this-one")
        rotated = {name: password for name, password in printed.items() if name != "lead"}
        assert set(rotated) == {"editor", "reviewer", "shop", "admin"}
        assert len(set(rotated.values())) == 4
        for username, password in rotated.items():
            user = User.objects.get(username=username)
            assert len(password) >= 20 and user.check_password(password), username
            assert not user.check_password(content.DEMO_PASSWORD)

        again = io.StringIO()
        with override_settings(VERITY_DEMO_ALLOWED=False):
            call_command("load_demo", "--i-know-this-is-production", stdout=again)
        assert not any(password in again.getvalue() for password in rotated.values())  # shown only once
        assert User.objects.get(username="editor").check_password(rotated["editor"])
