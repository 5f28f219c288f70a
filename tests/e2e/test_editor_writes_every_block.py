"""The editor's whole job in real Chromium: a new post with one block of every body type, written through the
admin's own widgets (block picker, image, snippet and page choosers), saved, previewed and submitted; the lead
approves, the medical reviewer verifies every claim and approves, and a shopper reads the live post.

Every tab of every person is watched: a server error (5xx) on any request the browser makes — the page itself,
autosave and preview POSTs, chooser modals, the preview iframe — fails the test, at the step where it happened.
"""

import contextlib
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from blog.models import BlogIndexPage, BlogPostPage
from cms.models import ClaimVerification
from cms.review.claims import claims_in
from cms.review.workflow import EDITORIAL_TASK_NAME, MEDICAL_TASK_NAME

from .conftest import TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser

TITLE = "Aftercare After Every Kind of Sex"
DEK = "What helps in the hour after, and what the studies say."
HEADING = "Why the hour after matters"
PARAGRAPH = "The hour after sex can bring calm, tears or both."
LIST_ITEMS = ["A glass of water", "A warm blanket"]
IMAGE_TITLE = "Two people resting together"
IMAGE_ALT = "Two people resting under a blanket"
CAPTION = "Rest is part of aftercare."
EXPERT = "Dr. Marie Tudor"
EXPERT_QUOTE = "Feeling emotional after sex is common and usually passes."
EXPERT_SOURCE = "Postcoital dysphoria: why you might feel sad after sex"
QUOTE = "Afterwards I just want to be held."
ATTRIBUTION = "A survey respondent"
QUOTE_SOURCE = "Survey of respondents on crying during and after sex"
STAT_STATEMENT = "41% of men surveyed had felt sad after sex at least once."
STAT_SOURCE = "Postcoital Dysphoria: Prevalence and Correlates Among Males"
CLAIM = "Postcoital dysphoria can follow consensual, satisfying sex."
CLAIM_SOURCE = "Survey of postcoital symptoms in 223 women and 76 men"
CALLOUT_TITLE = "When to talk to someone"
CALLOUT_TEXT = "If sadness after sex lasts for days, talk to a doctor."
HELP_HEADING = "If tonight feels too heavy"
INLINE_PRODUCT = "Aftercare Massage Oil"
STORY_PRODUCT = "Soothing Bath Soak"
STORY_BUNDLE = "The Aftercare Bundle"


class ServerErrors:
    """Every response with a 5xx status seen by any watched tab, every console message reporting one that no
    response event showed, and every uncaught script error."""

    def __init__(self):
        self.seen = []
        self.reported = 0

    def watch(self, who, tab):
        failed_urls = set()

        def on_response(response):
            if response.status >= 500:
                failed_urls.add(response.url)
                self.seen.append(f"{who}: HTTP {response.status} {response.request.method} {response.url}")

        def on_console(message):
            url = message.location.get("url")
            if message.type == "error" and re.search(r"status of 5\d\d", message.text) and url not in failed_urls:
                self.seen.append(f"{who}: console: {message.text} ({url})")

        def on_page_error(error):
            # An uncaught exception in the admin's scripts: a chooser or a block that cannot work.
            self.seen.append(f"{who}: script error on {tab.url}: {error}")

        tab.on("response", on_response)
        tab.on("console", on_console)
        tab.on("pageerror", on_page_error)

    def assert_none(self, step):
        new = self.seen[self.reported :]
        self.reported = len(self.seen)
        assert not new, f"server errors {step} (tracebacks in the captured log):\n" + "\n".join(new)

    @contextlib.contextmanager
    def during(self, step):
        """A step of the test: it fails on any server error seen meanwhile, and when it fails otherwise (a
        chooser that answered 500 leaves no modal to wait for), the server errors are the reason given."""
        try:
            yield
        except Exception:
            self.assert_none(step)
            raise
        self.assert_none(step)


@pytest.fixture
def server_errors():
    errors = ServerErrors()
    yield errors
    errors.assert_none("between the test's steps")


@pytest.fixture
def new_tab(browser, demo_site, server_errors, one_request_at_a_time):
    """Opens a tab for a person in a browser context of their own (their own cookies); every tab the context
    opens, popups included, is watched for server errors."""
    contexts = []

    def open_tab(who):
        context = browser.new_context(base_url=demo_site, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", lambda tab: server_errors.watch(who, tab))
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def choose_in_modal(tab, name, search=None):
    """Picks `name` in the chooser modal that is open, searching for it first if asked."""
    modal = tab.get_by_role("dialog")
    expect(modal).to_be_visible()
    if search:
        modal.get_by_role("textbox", name="Search term").fill(search)
    modal.get_by_role("link", name=re.compile(re.escape(name))).first.click()
    expect(modal).to_be_hidden()


def insert_block(tab, stream, label):
    """Appends a block of the type labelled `label` at the end of `stream`, through the block picker."""
    stream.get_by_role("button", name="Insert a block").last.click()
    tab.get_by_role("option", name=label, exact=True).click()
    # A block is a region named after its type (then a summary of its content); nested blocks come later.
    block = stream.get_by_role("region", name=re.compile(rf"^{re.escape(label)}\b")).first
    expect(block).to_be_visible()
    return block


def add_source(tab, block, title):
    block.get_by_role("button", name="Add", exact=True).last.click()
    block.get_by_role("button", name="Choose source").last.click()
    choose_in_modal(tab, title)


def type_rich_text(tab, textbox, text):
    textbox.click()
    tab.keyboard.type(text)


def write_the_post(editor):
    editor.get_by_role("textbox", name="Title*").fill(TITLE)
    editor.get_by_role("textbox", name="Dek").fill(DEK)
    body = editor.get_by_role("region", name="Body*")

    block = insert_block(editor, body, "Heading")
    block.get_by_role("textbox", name="Text*").fill(HEADING)

    block = insert_block(editor, body, "Paragraph")
    type_rich_text(editor, block.get_by_role("textbox"), PARAGRAPH)
    # Draftail writes its content to the form's hidden input a moment after the last keystroke.
    expect(editor.locator("input[name=body-1-value]")).to_have_value(re.compile(re.escape(PARAGRAPH)))

    block = insert_block(editor, body, "List")
    block.get_by_role("textbox").first.fill(LIST_ITEMS[0])
    block.get_by_role("button", name="Add", exact=True).last.click()
    block.get_by_role("textbox").nth(1).fill(LIST_ITEMS[1])

    block = insert_block(editor, body, "Image")
    block.get_by_role("button", name="Choose an image").click()
    choose_in_modal(editor, IMAGE_TITLE, search="resting")
    expect(block.get_by_text(IMAGE_TITLE)).to_be_visible()
    block.get_by_role("textbox", name="Alt text").fill(IMAGE_ALT)
    block.get_by_role("textbox", name="Caption").fill(CAPTION)

    block = insert_block(editor, body, "Expert quote")
    block.get_by_role("button", name="Choose expert").click()
    choose_in_modal(editor, EXPERT)
    block.get_by_role("textbox", name=re.compile("^Quote")).fill(EXPERT_QUOTE)
    add_source(editor, block, EXPERT_SOURCE)

    block = insert_block(editor, body, "Quote")
    block.get_by_role("textbox", name=re.compile("^Quote")).fill(QUOTE)
    block.get_by_role("textbox", name=re.compile("^Attribution")).fill(ATTRIBUTION)
    block.get_by_role("button", name="Choose source").click()
    choose_in_modal(editor, QUOTE_SOURCE)

    block = insert_block(editor, body, "Statistic")
    block.get_by_role("spinbutton", name=re.compile("^Figure")).fill("41")
    block.get_by_role("combobox", name=re.compile("^Unit")).select_option(label="Percent (%)")
    block.get_by_role("textbox", name=re.compile("^Statement")).fill(STAT_STATEMENT)
    block.get_by_role("textbox", name="Population").fill("men")
    block.get_by_role("spinbutton", name="Sample size").fill("1208")
    block.get_by_role("spinbutton", name="Year").fill("2019")
    add_source(editor, block, STAT_SOURCE)

    block = insert_block(editor, body, "Claim")
    block.get_by_role("textbox", name=re.compile("^Statement")).fill(CLAIM)
    add_source(editor, block, CLAIM_SOURCE)

    block = insert_block(editor, body, "Callout")
    block.get_by_role("combobox", name=re.compile("^Tone")).select_option(label="When to get help")
    block.get_by_role("textbox", name="Title").fill(CALLOUT_TITLE)
    type_rich_text(editor, block.get_by_role("textbox").last, CALLOUT_TEXT)
    expect(editor.locator("input[name=body-8-value-text]")).to_have_value(re.compile(re.escape(CALLOUT_TEXT)))

    # The standard wording, left as it is; the crisis lines of the default country, under a heading of our own.
    insert_block(editor, body, "Not medical advice")
    block = insert_block(editor, body, "Get help")
    block.get_by_role("textbox", name=re.compile("^Heading")).fill(HELP_HEADING)

    block = insert_block(editor, body, "Products")
    block.get_by_role("button", name=re.compile("^Choose")).click()
    choose_in_modal(editor, INLINE_PRODUCT)
    expect(block.get_by_text(INLINE_PRODUCT)).to_be_visible()

    story = editor.get_by_role("region", name="Shop The Story")
    for label, title in (("Product", STORY_PRODUCT), ("Collection", STORY_BUNDLE)):
        block = insert_block(editor, story, label)
        block.get_by_role("button", name=re.compile("^Choose")).click()
        choose_in_modal(editor, title)
        expect(block.get_by_text(title)).to_be_visible()


def approve_from_dashboard(lead, title):
    """Approves the editorial step from the dashboard's "Awaiting your review" row: a button on the row, or
    in its "…" actions menu."""
    row = lead.locator("#awaiting-review-content tr").filter(has_text=title)
    expect(row).to_have_count(1)
    approve = row.get_by_role("button", name="Approve", exact=True)
    if not approve.filter(visible=True).count():
        row.get_by_role("button", name="Actions").click()
    approve.filter(visible=True).first.click()
    expect(row).to_have_count(0)


# Every type the body offers, in the order the post adds them.
BODY_BLOCK_TYPES = list(BlogPostPage.body.field.stream_block.child_blocks)


def the_new_post(blog, posts_before):
    """The one post the editor made, however many autosaves ran, with everything typed in its draft."""
    new_posts = BlogPostPage.objects.exclude(pk__in=posts_before)
    assert new_posts.count() == 1, list(new_posts.values_list("title", flat=True))
    post = new_posts.get()
    assert post.get_parent().pk == blog.pk
    assert not post.live and post.current_workflow_state is None
    draft = post.get_latest_revision_as_object()
    assert (draft.title, draft.dek) == (TITLE, DEK)
    assert [block.block_type for block in draft.body] == BODY_BLOCK_TYPES
    assert [(item.block_type, item.value.title) for item in draft.shop_the_story] == [
        ("product", STORY_PRODUCT),
        ("collection", STORY_BUNDLE),
    ]
    statistic = draft.body[6].value
    assert (statistic["figure"], statistic["unit"], statistic["population"]) == (41, "percent", "men")
    assert (statistic["sample_size"], statistic["year"]) == (1208, 2019)
    assert [source.title for source in statistic["sources"]] == [STAT_SOURCE]
    image = draft.body[3].value["image"]
    assert (image.title, image.contextual_alt_text) == (IMAGE_TITLE, IMAGE_ALT)
    assert draft.body[9].value["text"] == ""
    assert (draft.body[10].value["heading"], draft.body[10].value["country"]) == (HELP_HEADING, "US")
    assert [product.title for product in draft.body[11].value["products"]] == [INLINE_PRODUCT]
    return post


def current_task(post):
    post = BlogPostPage.objects.get(pk=post.pk)
    assert not post.live
    return post.current_workflow_task.name


def assert_live_and_verified(post, submitted_revision):
    post = BlogPostPage.objects.get(pk=post.pk)
    assert post.live and post.current_workflow_state is None
    assert not post.has_unpublished_changes
    assert post.live_revision_id == submitted_revision.pk, "what went live is what both reviews approved"
    # Autosave overwrites its own revision: the editor's session and the submission leave a handful of
    # revisions, not one per autosave.
    assert 1 <= post.revisions.count() <= 3, list(post.revisions.values_list("pk", "created_at"))
    assert [block.block_type for block in post.body] == BODY_BLOCK_TYPES
    claims = claims_in(post.body)
    assert [claim.block_type for claim in claims] == ["expert_quote", "statistic", "claim"]
    reviewer = get_user_model().objects.get(username="reviewer")
    for claim in claims:
        verification = ClaimVerification.objects.get(page=post, block_id=claim.block_id)
        assert verification.status == ClaimVerification.Status.VERIFIED
        assert verification.fingerprint == claim.fingerprint
        assert (verification.reviewer, verification.revision_id) == (reviewer, submitted_revision.pk)
    assert post.medical_review is not None


def test_editor_writes_every_block_and_the_post_goes_live_through_both_reviews(
    new_tab, server_errors, one_request_at_a_time
):
    database = one_request_at_a_time  # held around the test's own reads of the database
    with database:
        blog = BlogIndexPage.objects.get()
        posts_before = set(BlogPostPage.objects.values_list("pk", flat=True))

    # 1. The editor starts a new post from the blog's listing and writes one block of every type.
    editor = new_tab("editor")
    with server_errors.during("while writing the post"):
        log_in(editor, "editor")
        editor.goto(f"/admin/pages/{blog.pk}/")
        editor.get_by_role("link", name="Add child page").first.click()
        expect(editor).to_have_url(re.compile(rf"/admin/pages/add/blog/blogpostpage/{blog.pk}/"))
        write_the_post(editor)

    with server_errors.during("on saving the draft"):
        editor.get_by_role("button", name="Save draft").click()
        saved = re.compile(rf"Page '{re.escape(TITLE)}' (has been )?(created|updated)")
        expect(editor.get_by_text(saved)).to_be_visible()
    with database:
        post = the_new_post(blog, posts_before)
    expect(editor).to_have_url(re.compile(rf"/admin/pages/{post.pk}/edit/"))

    # 2. The editor previews the draft, in the side panel and in a tab of its own.
    with server_errors.during("while previewing"):
        editor.get_by_role("button", name="Toggle preview").click()
        preview = editor.frame_locator("iframe[title=Preview]:not(.w-preview__proxy)")
        expect(preview.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(preview.get_by_text(STAT_STATEMENT)).to_be_visible()
        with editor.context.expect_page() as opened:
            editor.get_by_role("link", name="Preview in new tab").click()
        preview_tab = opened.value
        expect(preview_tab.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(preview_tab.get_by_text(CLAIM)).to_be_visible()
        preview_tab.close()

    # 3. The editor submits the post to the editorial and medical review.
    with server_errors.during("on submitting"):
        editor.get_by_role("button", name="More actions").click()
        editor.get_by_role("button", name="Submit to Editorial and medical review").click()
        expect(editor.get_by_text(re.compile(r"has been submitted for moderation"))).to_be_visible()
    with database:
        assert current_task(post) == EDITORIAL_TASK_NAME
        submitted_revision = BlogPostPage.objects.get(pk=post.pk).latest_revision
        public_path = post.url

    # Nobody outside the admin sees the submitted draft.
    shopper = new_tab("shopper")
    assert shopper.goto(public_path).status == 404

    # 4. The editorial lead approves from the dashboard.
    lead = new_tab("lead")
    with server_errors.during("on the editorial approval"):
        log_in(lead, "lead")
        approve_from_dashboard(lead, TITLE)
    with database:
        assert current_task(post) == MEDICAL_TASK_NAME

    # 5. The medical reviewer opens the post from "Waiting for medical review", verifies each claim and approves.
    reviewer = new_tab("reviewer")
    with server_errors.during("on opening the medical review"):
        log_in(reviewer, "reviewer")
        queue = reviewer.get_by_role("region", name="Waiting for medical review")
        queue.get_by_role("link", name=TITLE).click()
        expect(reviewer).to_have_url(re.compile(rf"/admin/medical-review/{post.pk}/$"))
        under_review = reviewer.frame_locator("iframe[title='Preview of the revision under review']")
        expect(under_review.get_by_text(PARAGRAPH)).to_be_visible()
        claims = reviewer.locator("ol.claims > li.claim")
        expect(claims).to_have_count(3)

    for index, text in enumerate((EXPERT_QUOTE, STAT_STATEMENT, CLAIM)):
        with server_errors.during(f"on verifying claim {index + 1}"):
            claim = claims.nth(index)
            expect(claim.locator("blockquote")).to_have_text(text)
            claim.get_by_label("Note").fill("Checked against the source.")
            claim.get_by_role("button", name="Verify").click()
            expect(claims.nth(index).locator(".status-tag")).to_have_text("Verified")

    with server_errors.during("on the medical approval"):
        expect(reviewer.get_by_text(re.compile(r"\b0 of 3 claims still to verify"))).to_be_visible()
        decision = reviewer.locator("form").filter(has=reviewer.get_by_label("Comment for the author"))
        decision.get_by_role("button", name="Approve", exact=True).click()
        expect(reviewer.get_by_text("passed medical review")).to_be_visible()
    with database:
        assert_live_and_verified(post, submitted_revision)

    # 6. A shopper reads the live post: every block, the trust line and the shop modules.
    with server_errors.during("on the public post"):
        assert shopper.goto(public_path).status == 200
        expect(shopper.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(shopper.locator(".dek")).to_have_text(DEK)
        expect(shopper.locator(".reviewed-by")).to_contain_text("Medically reviewed by Dr. Ana Reyes")
        expect(shopper.get_by_role("heading", level=2, name=HEADING)).to_be_visible()
        expect(shopper.get_by_text(PARAGRAPH)).to_be_visible()
        for item in LIST_ITEMS:
            expect(shopper.get_by_role("listitem").filter(has_text=item)).to_be_visible()
        figure = shopper.locator("figure.figure")
        expect(figure.get_by_role("img", name=IMAGE_ALT)).to_be_visible()
        expect(figure.locator("figcaption")).to_have_text(CAPTION)
        expert_quote = shopper.locator(".expert-quote")
        expect(expert_quote).to_contain_text(EXPERT_QUOTE)
        expect(expert_quote.get_by_role("link", name=EXPERT)).to_have_attribute(
            "href", re.compile(r"/experts/marie-tudor/$")
        )
        quote = shopper.locator(".quote-card").filter(has_text=QUOTE)
        expect(quote.locator("figcaption")).to_contain_text(ATTRIBUTION)
        statistic = shopper.locator("figure.statistic").filter(has_text=STAT_STATEMENT)
        expect(statistic.locator(".statistic__figure")).to_have_text("41%")
        expect(statistic).to_contain_text(STAT_STATEMENT)
        expect(statistic).to_contain_text("1,208 men")
        expect(statistic).to_contain_text("2019")
        expect(shopper.locator("p.claim")).to_contain_text(CLAIM)
        callout = shopper.get_by_role("note", name=CALLOUT_TITLE)
        expect(callout).to_contain_text(CALLOUT_TEXT)
        expect(shopper.get_by_role("complementary", name="Not medical advice")).to_contain_text("not medical advice")
        get_help = shopper.get_by_role("complementary", name=HELP_HEADING)
        expect(get_help.get_by_role("listitem").first).to_be_visible()
        shop_now = shopper.get_by_role("region", name="Shop Now")
        expect(shop_now.get_by_role("link", name=INLINE_PRODUCT, exact=True)).to_be_visible()
        expect(shop_now.get_by_role("link", name=f"Buy {INLINE_PRODUCT}")).to_be_visible()
        story = shopper.get_by_role("region", name="Shop The Story")
        expect(story.get_by_role("link", name=STORY_PRODUCT, exact=True)).to_be_visible()
        expect(story.get_by_role("link", name=STORY_BUNDLE, exact=True)).to_be_visible()
        # Each sourced block cites its source, listed at the end of the post.
        for source in (EXPERT_SOURCE, QUOTE_SOURCE, STAT_SOURCE, CLAIM_SOURCE):
            expect(shopper.get_by_text(source).first).to_be_visible()
