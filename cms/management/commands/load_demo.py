"""Build the demo site from the seed article: pages, experts, sources, products and a user per role.

Safe to run again: it only adds what is missing and never overwrites what editors changed. It ends with
the addresses to open and the logins; the workflow emails it causes are held back (`--show-emails` sends
them, which in development prints them).

The demo users share one documented password, so the command runs only where VERITY_DEMO_ALLOWED is on:
the dev and test settings, and a production-settings demo such as `verity.py stack` (which sets
VERITY_DEMO_ALLOWED=true). Elsewhere it refuses, unless forced with --i-know-this-is-production; it then
gives each demo user it creates (and any still on the documented password) a random password, printed
once, here, and stored nowhere else.
"""

import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page, Site

from blog.models import BlogIndexPage, BlogPostAuthor, BlogPostPage
from cms.demo import content
from cms.demo.images import demo_image
from cms.demo.mail import held_emails
from cms.models import ClaimVerification, Expert, HelpResource, HomePage, MedicalSignOff, ReviewerCredential, Source
from cms.review.actions import record_verdict, sign_off
from cms.review.roles import ensure_roles
from cms.review.status import review_claims
from cms.site.address import configure_default_site
from shop import store
from shop.models import CollectionItem, CollectionPage, ProductImage, ProductPage, ShopIndexPage

SEED_PUBLISHED_AT = datetime(2026, 2, 12, 9, 0, tzinfo=UTC)
FORCE_FLAG = "--i-know-this-is-production"
REFUSAL = (
    "load_demo creates demo accounts, an admin among them, with the documented password, so it runs only "
    "where VERITY_DEMO_ALLOWED is on (the dev and test settings; set VERITY_DEMO_ALLOWED=true for a demo "
    f"deployment). To load the demo here anyway, with a random password for each account, printed once, run "
    f"it with {FORCE_FLAG}."
)


class Command(BaseCommand):
    help = "Load the demo site: the seed article, its experts, sources and products, and demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--show-emails",
            action="store_true",
            help="Send the workflow emails the demo causes with the configured email backend (in development "
            "the console prints them). By default they are held back.",
        )
        parser.add_argument(
            FORCE_FLAG,
            action="store_true",
            dest="production",
            help="Load the demo where VERITY_DEMO_ALLOWED is off (production): the demo accounts get random "
            "passwords, printed once, instead of the documented one.",
        )

    def handle(self, *args, show_emails=False, production=False, **options):
        demo_allowed = getattr(settings, "VERITY_DEMO_ALLOWED", False)
        if not demo_allowed and not production:
            raise CommandError(REFUSAL)
        # Random passwords unless this is a place for the documented one.
        self.random_passwords = not demo_allowed
        self.passwords = {}
        if show_emails:
            seed, held = self.load(), []
        else:
            # Outside the transaction, so an email sent when it commits is held too.
            with held_emails() as held:
                seed = self.load()
        self.print_addresses(seed)
        self.print_logins()
        if held:
            emails = f"{len(held)} workflow notification email" + ("" if len(held) == 1 else "s")
            self.stdout.write(f"\n{emails} held back, not sent; to see them, run load_demo --show-emails.")

    @transaction.atomic
    def load(self):
        ensure_roles()
        configure_default_site()
        users = self.ensure_users()
        home = self.ensure_home()
        blog = ensure_child(
            home,
            BlogIndexPage,
            "blog",
            title="Blog",
            intro="Straight talk about sex and health, checked by medical reviewers.",
        )
        shop = ensure_child(home, ShopIndexPage, "shop", title="Shop", intro="Products our editors recommend.")
        self.experts = {data["slug"]: self.ensure_expert(data, users) for data in content.EXPERTS}
        self.ensure_trust_records(users["admin"])
        self.sources = {key: self.ensure_source(data) for key, data in content.SOURCES.items()}
        self.products = {data["sku"]: self.ensure_product(shop, data, users["reviewer"]) for data in content.PRODUCTS}
        self.collections = {data["slug"]: self.ensure_collection(shop, data) for data in content.COLLECTIONS}
        if home.featured_collection_id is None:
            home.featured_collection = self.collections["the-sex-collection"]
            home.save_revision().publish()
        seed = self.ensure_post(blog, content.SEED_POST, SEED_PUBLISHED_AT, hero_title="Two people resting together")
        self.verify_every_claim(seed, users["reviewer"])
        for number, data in enumerate(content.OTHER_POSTS, start=1):
            published_at = SEED_PUBLISHED_AT.replace(month=SEED_PUBLISHED_AT.month + number)
            self.ensure_post(blog, data, published_at, hero_title=data["title"])
        self.ensure_post_in_medical_review(blog, content.POST_IN_MEDICAL_REVIEW, users)
        self.ensure_draft(blog, content.DRAFT_POST, users["editor"])
        return seed

    def verify_every_claim(self, post, reviewer):
        """The seed is live and medically reviewed: every claim of its live revision is verified, and the
        reviewer signed the article off."""
        for review in review_claims(post, post.body):
            if not review.is_verified:
                record_verdict(post, post.live_revision, review.claim, reviewer, ClaimVerification.Status.VERIFIED)
        if not MedicalSignOff.objects.filter(page=post).exists():
            sign_off(post.live_revision, reviewer)

    def new_draft(self, blog, data, editor):
        post = BlogPostPage(
            title=data["title"],
            slug=data["slug"],
            dek=data["dek"],
            owner=editor,
            body=[self.block(block_type, value) for block_type, value in data["body"]],
        )
        post.tags.add(*data["tags"])
        post.live = False
        blog.add_child(instance=post)
        post.save_revision(user=editor)
        return post

    def ensure_draft(self, blog, data, editor):
        if not BlogPostPage.objects.child_of(blog).filter(slug=data["slug"]).exists():
            self.new_draft(blog, data, editor)

    def ensure_post_in_medical_review(self, blog, data, users):
        """A post the editor submitted and the lead approved, now waiting for the medical reviewer."""
        if BlogPostPage.objects.child_of(blog).filter(slug=data["slug"]).exists():
            return
        post = self.new_draft(blog, data, users["editor"])
        workflow_state = post.get_workflow().start(post, users["editor"])
        workflow_state.current_task_state.approve(user=users["lead"], comment="Reads well; over to medical.")

    def ensure_users(self):
        User = get_user_model()
        users = {}
        for username, first_name, last_name, group_name in content.USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": last_name, "email": f"{username}@example.com"},
            )
            if self.random_passwords and (created or user.check_password(content.DEMO_PASSWORD)):
                self.passwords[username] = secrets.token_urlsafe(18)
                user.set_password(self.passwords[username])
            elif created:
                user.set_password(content.DEMO_PASSWORD)
            user.is_staff = group_name is None
            user.is_superuser = group_name is None
            user.save()
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            users[username] = user
        return users

    def ensure_home(self):
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title="Verity", slug="home"))
            Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home})
        return home

    def ensure_expert(self, data, users):
        expert = Expert.objects.filter(slug=data["slug"]).first()
        if expert:
            return expert
        fields = {key: value for key, value in data.items() if key != "reviewer_username"}
        expert = Expert(**fields, photo=demo_image(f"Portrait of {data['name']}", "", size=(480, 480)))
        if "reviewer_username" in data:
            expert.user = users[data["reviewer_username"]]
        expert.save()
        expert.save_revision().publish()
        return expert

    def ensure_trust_records(self, admin):
        """The reviewer's credentials, verified by the admin (approval needs one), and the help resources."""
        from django.utils import timezone

        for data in content.REVIEWER_CREDENTIALS:
            fields = {key: value for key, value in data.items() if key not in ("expert", "expires_in_days")}
            expert = self.experts[data["expert"]]
            if not ReviewerCredential.objects.filter(expert=expert, number=data["number"]).exists():
                credential = ReviewerCredential(
                    expert=expert, expires_on=timezone.localdate() + timedelta(days=data["expires_in_days"]), **fields
                )
                credential.verify(admin)
                credential.save()
        for data in content.HELP_RESOURCES:
            HelpResource.objects.get_or_create(country=data["country"], name=data["name"], defaults=data)

    def ensure_source(self, data):
        source = Source.objects.filter(title=data["title"]).first()
        if source:
            return source
        source = Source.objects.create(**data)
        source.save_revision().publish()
        return source

    def ensure_product(self, shop, data, vetted_by):
        existing = ProductPage.objects.filter(sku=data["sku"]).first()
        if existing:
            return existing
        product = ProductPage(
            title=data["title"],
            sku=data["sku"],
            summary=data["summary"],
            price=content.money(data["price"]),
            compare_at_price=content.money(data.get("compare_at_price")),
            availability=data.get("availability", ProductPage.Availability.IN_STOCK),
            description=f"<p>{data['summary']}</p>",
            buy_url=store.product_url(data["sku"].lower()),
            handle=data["sku"].lower(),
            variant_ids=[data["variant_id"]],
            vetted_by=vetted_by,
            vetted_on=SEED_PUBLISHED_AT.date(),
        )
        product.images = [ProductImage(image=demo_image(data["title"], f"{data['title']}", size=(800, 800)))]
        return publish_child(shop, product)

    def ensure_collection(self, shop, data):
        existing = CollectionPage.objects.child_of(shop).filter(slug=data["slug"]).first()
        if existing:
            return existing
        collection = CollectionPage(
            title=data["title"],
            slug=data["slug"],
            intro=data["intro"],
            bundle_price=content.money(data.get("bundle_price")),
        )
        # Positions as the admin's form would save them.
        collection.items = [
            CollectionItem(product=self.products[sku], sort_order=position)
            for position, sku in enumerate(data["products"])
        ]
        return publish_child(shop, collection)

    def ensure_post(self, blog, data, published_at, hero_title):
        existing = BlogPostPage.objects.child_of(blog).filter(slug=data["slug"]).first()
        if existing:
            return existing
        hero_alt = "An abstract illustration in soft colours."
        post = BlogPostPage(
            title=data["title"],
            slug=data["slug"],
            dek=data["dek"],
            hero_image=demo_image(hero_title, hero_alt),
            hero_image_alt=hero_alt,
            body=[self.block(block_type, value) for block_type, value in data["body"]],
            shop_the_story=[self.shop_item(kind, key) for kind, key in data["shop_the_story"]],
        )
        post.tags.add(*data["tags"])
        post.authors = [BlogPostAuthor(expert=self.experts[slug]) for slug in data.get("authors", [])]
        post = publish_child(blog, post)
        BlogPostPage.objects.filter(pk=post.pk).update(first_published_at=published_at)
        return post

    def block(self, block_type, value):
        """Turn a block of the demo content into StreamField data, looking up what it refers to."""
        if block_type == "expert_quote":
            value = {**value, "expert": self.experts[value["expert"]].pk}
        if block_type == "quote":
            value = {**value, "source": self.sources[value["source"]].pk}
        if isinstance(value, dict) and "sources" in value:
            value = {**value, "sources": [self.sources[key].pk for key in value["sources"]]}
        if block_type == "products":
            value = {**value, "products": [self.products[sku].pk for sku in value["products"]]}
        return {"type": block_type, "value": value}

    def shop_item(self, kind, key):
        target = self.products[key] if kind == "product" else self.collections[key]
        return {"type": kind, "value": target.pk}

    def print_addresses(self, seed):
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        addresses = [
            ("Site", f"{base}/"),
            ("Seed post", base + seed.get_url_parts()[2]),
            ("Admin", base + reverse("wagtailadmin_home")),
            ("API", base + reverse("wagtailapi_v3:posts_list")),
            ("API schema", base + reverse("wagtailapi_v3:openapi-json")),
        ]
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
        for label, address in addresses:
            self.stdout.write(f"  {label:<10} {address}")

    def print_logins(self):
        if self.random_passwords:
            self.stdout.write(
                self.style.WARNING(
                    "\nLogins, each with its own random password, shown only this once (a password already "
                    "changed from the demo's is kept):"
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"\nLogins, all with the password {content.DEMO_PASSWORD}:"))
        for username, _first, _last, group_name in content.USERS:
            role = group_name or "Superuser"
            password = f"  password {self.passwords.get(username, '(unchanged)')}" if self.random_passwords else ""
            self.stdout.write(f"  {username:<10} {role:<18} {content.USER_ROLES[username]}{password}")


def ensure_child(parent, model, slug, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    return existing or publish_child(parent, model(slug=slug, **fields))


def publish_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)
