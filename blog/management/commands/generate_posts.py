"""Generate N live blog posts under the blog index, fast: content for benchmarks and scale tests.

    python manage.py load_demo             # the blog index, experts, sources and products it draws on
    python manage.py generate_posts 10000  # then 10,000 posts (about a minute on PostgreSQL)

Each post is a real BlogPostPage: a varied title and dek, a body of real blocks (headings, paragraphs,
lists, callouts, statistics and claims citing the site's sources, expert quotes, products), tags, authors
and a hero image drawn from what the site already holds, published live with a revision, dates spread
over years, in the search index and the reference index. The rows are written in bulk, batch by batch,
with treebeard paths that `manage.py fixtree` finds valid; no signals fire, so no webhook, email or purge
is sent for them. The same --seed makes the same posts.
"""

import random
import uuid
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.blocks import StreamValue
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex, Revision
from wagtail.models.pages import COMMENTS_RELATION_NAME
from wagtail.search.backends import get_search_backends

from blog.models import BlogIndexPage, BlogPostAuthor, BlogPostPage, BlogPostTag
from cms.models import Expert, Source
from shop.models import ProductPage

TOPICS = [
    "Aftercare", "Libido", "Menopause", "Perimenopause", "Pelvic Floor Health", "Orgasms", "Consent",
    "Contraception", "Hormones", "Sexual Anxiety", "Intimacy", "Lubricants", "Vaginal Dryness",
    "Erectile Dysfunction", "Postpartum Sex", "Talking About Sex", "Masturbation", "STI Testing", "Body Image",
    "Desire", "Painful Sex", "Sleep and Sex", "Oxytocin", "Long-Distance Relationships", "Sex After 50",
    "Fertility", "Endometriosis", "Testosterone", "Sex Toys", "Mindfulness", "Stress", "Birth Control Pills",
    "Postcoital Dysphoria", "Arousal", "Kegel Exercises", "Safer Sex", "Communication", "Self-Esteem",
]  # fmt: skip
TITLES = [
    "What to Know About {a}",
    "{a}: Your Questions, Answered",
    "How {a} Changes With Age",
    "Is It Normal? {a}, Explained",
    "A Doctor's Guide to {a}",
    "The Truth About {a} and {b}",
    "Why {a} Matters More Than You Think",
    "{n} Myths About {a}, Debunked",
    "What the Research Says About {a}",
    "{a} and {b}: How They Are Linked",
    "How to Talk to Your Partner About {a}",
    "{n} Things Sex Therapists Want You to Know About {a}",
]
DEKS = [
    "What experts say, and what the studies show.",
    "A plain-language guide, checked by medical reviewers.",
    "The facts, the myths, and when to talk to a doctor.",
    "Why it happens, how common it is, and what helps.",
    "Straight answers to the questions readers ask most.",
]
SENTENCES = [
    "Many people experience this at some point, and it is rarely a sign that something is wrong.",
    "Researchers have only recently started to study it in large groups of adults.",
    "Talking openly with a partner is often the first and most useful step.",
    "Hormones, stress, sleep and medication can all play a part.",
    "If it keeps happening or causes distress, a doctor or sex therapist can help.",
    "What feels normal varies widely from person to person and over a lifetime.",
    "Small changes to routine can make a noticeable difference within weeks.",
    "There is no single right way to feel, and no reason to feel ashamed.",
    "Surveys suggest it is far more common than most people assume.",
    "Looking after your mental health is part of looking after your sexual health.",
]
HEADINGS = ["What is it?", "How common is it?", "Why does it happen?", "What helps", "When to get help"]
LIST_ITEMS = ["Sleep", "Stress", "Medication", "Alcohol", "Relationship issues", "Hormonal changes", "Pain"]
BATCH_SIZE = 500
INSERT_ROWS = 100  # rows per INSERT of the posts' own columns, within SQLite's limit of parameters


class Command(BaseCommand):
    help = "Generate N live blog posts under the blog index, in bulk (for benchmarks and scale tests)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many posts to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed makes the same posts.")
        parser.add_argument("--years", type=int, default=6, help="Spread publication dates over this many years.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="Posts written per transaction.")

    def handle(self, count, seed, years, batch_size, **options):
        if count < 1 or years < 1 or batch_size < 1:
            raise CommandError("count, --years and --batch-size must be at least 1.")
        blog = BlogIndexPage.objects.first()
        if blog is None:
            raise CommandError("There is no blog index to add posts to; run `manage.py load_demo` first.")
        generator = PostGenerator(blog, random.Random(seed), years)
        made = 0
        while made < count:
            size = min(batch_size, count - made)
            generator.write_batch(size)
            made += size
            if options["verbosity"] > 1:
                self.stdout.write(f"  {made} of {count}")
        self.stdout.write(self.style.SUCCESS(f"Added {count} live posts under {blog.url_path}."))


class PostGenerator:
    def __init__(self, blog, rng, years):
        self.blog = blog
        self.rng = rng
        self.now = timezone.now()
        self.span_seconds = int(timedelta(days=365 * years).total_seconds())
        self.experts = list(Expert.objects.live().order_by("pk").values_list("pk", flat=True))
        self.sources = list(Source.objects.live().order_by("pk").values_list("pk", flat=True))
        self.products = list(ProductPage.objects.live().order_by("pk").values_list("pk", flat=True))
        self.images = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True)[:20])
        User = get_user_model()
        self.owner = User.objects.filter(username="editor").first() or User.objects.order_by("pk").first()
        self.content_type = ContentType.objects.get_for_model(BlogPostPage)
        self.page_content_type = ContentType.objects.get_for_model(Page)
        self.tags = [self.tag(name) for name in dict.fromkeys(["Sex", "Relationships", *TOPICS])]
        # A few tags hold most posts, as on a real blog: "Sex" about a third of them, then a long tail.
        self.tag_weights = [1 / rank for rank in range(1, len(self.tags) + 1)]

    @staticmethod
    def tag(name):
        tag = Tag.objects.filter(name__iexact=name).first()
        return tag or Tag.objects.create(name=name, slug=slugify(name))

    @transaction.atomic
    def write_batch(self, size):
        blog = Page.objects.select_for_update().get(pk=self.blog.pk)
        last = blog.get_last_child()
        first_step = (BlogPostPage._str2int(last.path[-BlogPostPage.steplen :]) + 1) if last else 1
        posts = [self.post(blog, first_step + i) for i in range(size)]

        # Wagtail's page rows, then the post rows beside them: Django cannot bulk-create a model with a
        # parent table, so the post's own columns go in through the insert bulk_create itself uses.
        pages = Page.objects.bulk_create([Page(**page_fields(post)) for post in posts])
        for post, page in zip(posts, pages, strict=True):
            post.pk = post.page_ptr_id = page.pk
        own_fields = BlogPostPage._meta.local_concrete_fields
        for start in range(0, len(posts), INSERT_ROWS):
            BlogPostPage._base_manager._insert(posts[start : start + INSERT_ROWS], fields=own_fields)
        Page.objects.filter(pk=blog.pk).update(numchild=F("numchild") + size)

        tagged, authors = [], []
        for post in posts:
            tagged += [BlogPostTag(content_object_id=post.pk, tag=tag) for tag in post.generated_tags]
            authors += [
                BlogPostAuthor(page_id=post.pk, expert_id=expert, sort_order=order)
                for order, expert in enumerate(post.generated_authors)
            ]
            # The revision holds the post's inline items as they are; a new post has no comments.
            post.tagged_items = [BlogPostTag(tag=tag) for tag in post.generated_tags]
            setattr(post, COMMENTS_RELATION_NAME, [])
            post.authors = [
                BlogPostAuthor(expert_id=expert, sort_order=order)
                for order, expert in enumerate(post.generated_authors)
            ]
        BlogPostTag.objects.bulk_create(tagged)
        BlogPostAuthor.objects.bulk_create(authors)

        revisions = Revision.objects.bulk_create(
            Revision(
                content_type=self.content_type,
                base_content_type=self.page_content_type,
                object_id=str(post.pk),
                object_str=post.title,
                created_at=post.first_published_at,
                user=self.owner,
                content=post.serializable_data(),
            )
            for post in posts
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.live_revision_id = page.latest_revision_id = revision.pk
        Page.objects.bulk_update(pages, ["live_revision", "latest_revision"])

        self.index([post.pk for post in posts])

    def index(self, ids):
        """The search index and the reference index (experts' profiles, the API's filters read it)."""
        posts = list(BlogPostPage.objects.filter(pk__in=ids).prefetch_related("tags", "tagged_items", "authors"))
        body_block = BlogPostPage._meta.get_field("body").stream_block
        for post, body in zip(posts, streams_in_bulk(body_block, [post.body for post in posts]), strict=True):
            post.body = body
        for backend in get_search_backends():
            backend.add_bulk(BlogPostPage, posts)
        # create_or_update_for_object costs two queries a post; these posts have no references yet.
        ReferenceIndex.objects.bulk_create(
            [
                ReferenceIndex(
                    content_type=self.content_type,
                    base_content_type=self.page_content_type,
                    object_id=post.pk,
                    to_content_type_id=to_content_type_id,
                    to_object_id=to_object_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
                for post in posts
                for to_content_type_id, to_object_id, model_path, content_path in set(
                    ReferenceIndex._extract_references_from_object(post)
                )
            ],
            ignore_conflicts=True,
        )

    def post(self, blog, step):
        rng = self.rng
        a, b = rng.sample(TOPICS, 2)
        title = rng.choice(TITLES).format(a=a, b=b, n=rng.randint(3, 9))
        # The path's step is never reused under the blog, so the slug is unique among its posts.
        slug = f"{slugify(title)}-{step}"
        published_at = self.now - timedelta(seconds=rng.randrange(self.span_seconds))
        post = BlogPostPage(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=self.content_type,
            path=BlogPostPage._get_path(blog.path, blog.depth + 1, step),
            depth=blog.depth + 1,
            numchild=0,
            url_path=f"{blog.url_path}{slug}/",
            locale_id=blog.locale_id,
            translation_key=uuid.uuid4(),
            owner=self.owner,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published_at,
            last_published_at=published_at,
            latest_revision_created_at=published_at,
            search_description="",
            dek=rng.choice(DEKS),
            hero_image_id=rng.choice(self.images) if self.images else None,
            hero_image_alt="An abstract illustration in soft colours." if self.images else "",
            body=self.body(a),
            shop_the_story=[],
        )
        post.generated_tags = list(dict.fromkeys(rng.choices(self.tags, weights=self.tag_weights, k=rng.randint(1, 3))))
        post.generated_authors = rng.sample(self.experts, min(len(self.experts), rng.randint(0, 2)))
        return post

    def body(self, topic):
        rng = self.rng
        blocks = [block("paragraph", self.paragraph())]
        for heading in rng.sample(HEADINGS, rng.randint(2, 4)):
            blocks.append(block("heading", {"text": heading, "level": "h2"}))
            blocks.append(block("paragraph", self.paragraph()))
            kind = rng.choice(["list", "callout", "statistic", "claim", "expert_quote", "paragraph", "products"])
            if kind == "list":
                blocks.append(block("list", {"style": "ul", "items": rng.sample(LIST_ITEMS, 3)}))
            elif kind == "callout":
                text = f"<p>{rng.choice(SENTENCES)}</p>"
                blocks.append(block("callout", {"tone": "tip", "title": f"About {topic.lower()}", "text": text}))
            elif kind == "statistic" and self.sources:
                figure = rng.randint(5, 80)
                statement = f"{figure}% of adults in a survey said {topic.lower()} had affected them."
                blocks.append(block("statistic", statistic(figure, statement, rng.randint(1000, 5000), self.cite())))
            elif kind == "claim" and self.sources:
                statement = f"{topic} is common and usually treatable."
                blocks.append(block("claim", {"statement": statement, "sources": self.cite()}))
            elif kind == "expert_quote" and self.experts:
                quote = {"expert": rng.choice(self.experts), "quote": rng.choice(SENTENCES), "sources": []}
                blocks.append(block("expert_quote", quote))
            elif kind == "products" and self.products:
                products = rng.sample(self.products, min(2, len(self.products)))
                blocks.append(block("products", {"heading": "Shop Now", "products": products}))
            else:
                blocks.append(block("paragraph", self.paragraph()))
        return blocks

    def paragraph(self):
        return "<p>" + " ".join(self.rng.sample(SENTENCES, self.rng.randint(2, 4))) + "</p>"

    def cite(self):
        return self.rng.sample(self.sources, min(len(self.sources), self.rng.randint(1, 2)))


def streams_in_bulk(stream_block, streams):
    """The streams' blocks read with one lookup per block type for all of them, not one per stream:
    indexing reads every block's value, and a chooser reads its objects from the database."""
    raw = [stream.raw_data for stream in streams]
    positions = defaultdict(list)
    for i, items in enumerate(raw):
        for j, item in enumerate(items):
            positions[item["type"]].append((i, j))
    values = {}
    for block_type, where in positions.items():
        child = stream_block.child_blocks[block_type]
        values.update(zip(where, child.bulk_to_python([raw[i][j]["value"] for i, j in where]), strict=True))
    return [
        StreamValue(stream_block, [(item["type"], values[i, j], item["id"]) for j, item in enumerate(items)])
        for i, items in enumerate(raw)
    ]


def block(block_type, value):
    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def statistic(figure, statement, sample_size, sources):
    return {
        "figure": str(figure),
        "unit": "percent",
        "statement": statement,
        "population": "adults",
        "sample_size": sample_size,
        "year": 2015 + figure % 10,
        "sources": sources,
    }


def page_fields(post):
    """The wagtailcore_page columns of a post."""
    return {
        field.attname: getattr(post, field.attname) for field in Page._meta.concrete_fields if not field.primary_key
    }
