"""The home page, the blog index and the Expert and Source snippets through the admin's own views.

Editors add and edit experts and sources as drafts (each save a revision) and cannot publish them, nor
can editorial leads: a change goes live through "Expert and source review", approved by a medical reviewer
(cms/review/roles.py, cms/review/workflow.py; tests/cms/review/test_expert_review.py). What a draft may
leave unfinished, Wagtail defers until submitting, so those tests submit as the `lead` user. Every form is
read from the rendered page (tests/admin_forms.py) and changed only where an editor types.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from blog.models import BlogIndexPage
from cms.models import Expert, HomePage, Source
from cms.review.roles import EDITORIAL_LEADS, EDITORS, MEDICAL_REVIEWERS

from .. import factories
from ..admin_forms import assert_refused_on_field, assert_saved, field_errors, form_data, replace, shown_messages
from .workflow_helpers import make_user

SAVE_DRAFT = "Save draft"
PUBLISH = "Publish"
SUBMIT = "Submit to Expert and source review"
REQUIRED = "This field is required."
NOT_A_CHOICE = "Select a valid choice. That choice is not one of the available choices."
NEXT_YEAR = timezone.now().year + 1


@pytest.fixture
def lead(db):
    return make_user("lead", EDITORIAL_LEADS)


@pytest.fixture
def as_editor(client, db):
    client.force_login(make_user("editor", EDITORS))
    return client


def edit_page_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def snippet_url(model, view, instance=None):
    name = f"wagtailsnippets_cms_{model}:{view}"
    return reverse(name, args=[instance.pk]) if instance else reverse(name)


# --- The home page -------------------------------------------------------------------------------------------


def test_the_editor_edits_the_home_page_from_its_rendered_form(as_editor, home, shop):
    collection = factories.make_collection(shop, [factories.make_product(shop)], title="The Sex Collection")
    revisions = home.revisions.count()
    data = form_data(as_editor.get(edit_page_url(home)))
    data |= {"intro": "Straight talk about sex and health.", "featured_collection": str(collection.pk)}

    response = as_editor.post(edit_page_url(home), data)

    assert_saved(response, f"Page '{home.title}' has been updated.")
    draft = HomePage.objects.get().get_latest_revision_as_object()
    assert draft.intro == "Straight talk about sex and health." and draft.featured_collection == collection
    assert home.revisions.count() == revisions + 1


def test_the_home_page_features_collections_only(as_editor, home, shop):
    product = factories.make_product(shop)
    revisions = home.revisions.count()
    data = form_data(as_editor.get(edit_page_url(home))) | {"featured_collection": str(product.pk)}

    response = as_editor.post(edit_page_url(home), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"featured_collection": [NOT_A_CHOICE]}
    assert field_errors(response, "featured_collection") == [NOT_A_CHOICE]
    assert home.revisions.count() == revisions


def test_the_home_page_keeps_its_title(as_editor, home):
    """A page title is required even on a draft (Wagtail's required_on_save)."""
    revisions = home.revisions.count()
    data = form_data(as_editor.get(edit_page_url(home))) | {"title": ""}

    response = as_editor.post(edit_page_url(home), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"title": [REQUIRED]}
    assert field_errors(response, "title") == [REQUIRED]
    assert home.revisions.count() == revisions


def test_a_second_home_page_cannot_be_added(as_editor, home):
    root = home.get_parent()
    response = as_editor.get(reverse("wagtailadmin_pages:add", args=["cms", "homepage", root.pk]))

    assert response.status_code == 302
    assert shown_messages(response) == ["Sorry, you do not have permission to access this area."]
    assert HomePage.objects.count() == 1


# --- The blog index ------------------------------------------------------------------------------------------------


def test_the_editor_adds_the_blog_index_and_it_runs_the_review_workflow(as_editor, home):
    url = reverse("wagtailadmin_pages:add", args=["blog", "blogindexpage", home.pk])
    data = replace(form_data(as_editor.get(url)), title="Blog", slug="blog", intro="Straight talk.")

    response = as_editor.post(url, data)

    assert_saved(response, "Page 'Blog' created.")
    blog = BlogIndexPage.objects.get()
    assert blog.revisions.count() == 1 and blog.get_latest_revision_as_object().intro == "Straight talk."
    assert blog.get_workflow().name == "Editorial and medical review"


def test_the_editor_edits_the_blog_index_from_its_rendered_form(as_editor, blog):
    data = form_data(as_editor.get(edit_page_url(blog))) | {"intro": "Checked by medical reviewers."}

    response = as_editor.post(edit_page_url(blog), data)

    assert_saved(response, "Page 'Blog' has been updated.")
    assert BlogIndexPage.objects.get().get_latest_revision_as_object().intro == "Checked by medical reviewers."
    assert blog.revisions.count() == 2


def test_the_blog_index_slug_must_be_a_slug(as_editor, blog):
    message = "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."
    data = form_data(as_editor.get(edit_page_url(blog))) | {"slug": "the blog!"}

    response = as_editor.post(edit_page_url(blog), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"slug": [message]}
    assert field_errors(response, "slug") == [message]
    assert blog.revisions.count() == 1


# --- Experts ---------------------------------------------------------------------------------------------------------


def expert_fields(image, **changes):
    fields = {
        "honorific": "Dr.",
        "name": "Marie Tudor",
        "credentials": "Medical sexologist",
        "slug": "marie-tudor",
        "specialty": "Sexology",
        "affiliation": "",
        "photo": str(image.pk),
    }
    return {**fields, **changes}


@pytest.fixture
def image(db):
    return factories.make_image("Portrait of Marie Tudor")


def new_expert(client, image, button=SAVE_DRAFT, **changes):
    return replace(form_data(client.get(snippet_url("expert", "add")), button), **expert_fields(image, **changes))


def test_the_editor_adds_an_expert_as_a_draft(as_editor, image):
    response = as_editor.post(snippet_url("expert", "add"), new_expert(as_editor, image))

    assert_saved(response, "Expert 'Dr. Marie Tudor' created.")
    expert = Expert.objects.get(slug="marie-tudor")
    assert not expert.live and expert.revisions.count() == 1
    assert expert.name_with_credentials == "Dr. Marie Tudor, Medical sexologist"
    assert expert.photo == image and expert.user is None


def test_the_editor_cannot_publish_an_expert(as_editor):
    with pytest.raises(AssertionError, match="no form with a 'Publish' button"):
        form_data(as_editor.get(snippet_url("expert", "add")), PUBLISH)


@pytest.fixture
def expert(db):
    return factories.make_expert(name="Tantry", credentials="Therapist", slug="tantry", photo=False)


def test_the_editor_edits_a_live_expert_and_the_change_waits_as_a_draft(as_editor, expert):
    data = form_data(as_editor.get(snippet_url("expert", "edit", expert)))
    assert (data["name"], data["slug"], data["bio"]) == ("Tantry", "tantry", "null")
    data["credentials"] = "Sex and relationship therapist"

    response = as_editor.post(snippet_url("expert", "edit", expert), data)

    assert_saved(response, "Expert 'Dr. Tantry' updated.")
    expert.refresh_from_db()
    assert expert.revisions.count() == 2 and expert.has_unpublished_changes
    assert expert.credentials == "Therapist", "the live profile waits for a medical reviewer's approval"
    assert expert.get_latest_revision_as_object().credentials == "Sex and relationship therapist"


def test_the_lead_submits_the_editors_draft_and_a_medical_reviewer_approves_it(as_editor, lead, image):
    as_editor.post(snippet_url("expert", "add"), new_expert(as_editor, image))
    expert = Expert.objects.get(slug="marie-tudor")
    as_editor.force_login(lead)
    edit_form = as_editor.get(snippet_url("expert", "edit", expert))
    with pytest.raises(AssertionError, match="no form with a 'Publish' button"):
        form_data(edit_form, PUBLISH)

    response = as_editor.post(snippet_url("expert", "edit", expert), form_data(edit_form, SUBMIT))

    assert_saved(response, "Expert 'Dr. Marie Tudor' has been submitted for moderation.")
    expert.refresh_from_db()
    assert not expert.live and expert.revisions.count() == 2 and expert.workflow_in_progress
    as_editor.force_login(make_user("reviewer", MEDICAL_REVIEWERS))
    task_state = expert.current_workflow_task_state
    as_editor.post(reverse("wagtailsnippets_cms_expert:workflow_action", args=[expert.pk, "approve", task_state.pk]))
    expert.refresh_from_db()
    assert expert.live and not expert.has_unpublished_changes


BAD_EXPERT_VALUES = [
    pytest.param({"slug": "tantry"}, "slug", "Expert with this Slug already exists.", id="slug-taken"),
    pytest.param(
        {"slug": "dr marie"},
        "slug",
        "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
        id="slug-with-a-space",
    ),
    pytest.param({"photo": str(10**6)}, "photo", NOT_A_CHOICE, id="photo-that-does-not-exist"),
    pytest.param(
        {"honorific": "x" * 21},
        "honorific",
        "Ensure this value has at most 20 characters (it has 21).",
        id="honorific-too-long",
    ),
]


@pytest.mark.parametrize("changes, field, message", BAD_EXPERT_VALUES)
def test_a_bad_expert_value_is_refused_on_its_field_when_adding(as_editor, expert, image, changes, field, message):
    experts, revisions = Expert.objects.count(), Revision.objects.count()

    response = as_editor.post(snippet_url("expert", "add"), new_expert(as_editor, image, **changes))

    assert_refused_on_field(response, field, message)
    assert (Expert.objects.count(), Revision.objects.count()) == (experts, revisions)


@pytest.mark.parametrize("changes, field, message", BAD_EXPERT_VALUES)
def test_a_bad_expert_value_is_refused_on_its_field_when_editing(as_editor, expert, changes, field, message):
    other = factories.make_expert(name="Marie Tudor", slug="marie-tudor", photo=False)
    data = form_data(as_editor.get(snippet_url("expert", "edit", other))) | changes

    response = as_editor.post(snippet_url("expert", "edit", other), data)

    assert_refused_on_field(response, field, message)
    assert other.revisions.count() == 1


def test_an_expert_without_a_name_waits_in_a_draft_and_stops_its_submission(as_editor, lead, image):
    assert_saved(as_editor.post(snippet_url("expert", "add"), new_expert(as_editor, image, name="")), "Expert ")
    expert = Expert.objects.get(slug="marie-tudor")
    as_editor.force_login(lead)

    url = snippet_url("expert", "edit", expert)
    response = as_editor.post(url, form_data(as_editor.get(url), SUBMIT))

    assert_refused_on_field(response, "name", REQUIRED)
    expert.refresh_from_db()
    assert not expert.live and expert.revisions.count() == 1


# --- Sources ----------------------------------------------------------------------------------------------------------


def source_fields(**changes):
    fields = {
        "title": "Postcoital Dysphoria: Prevalence and Correlates Among Males",
        "authors": "Maczkowiack J, Schweitzer RD",
        "publisher": "Journal of Sex & Marital Therapy",
        "year": "2019",
        "kind": "survey",
        "url": "",
        "doi": "10.1080/0092623X.2018.1488326",
        "pmid": "30015533",
    }
    return {**fields, **changes}


def new_source(client, button=SAVE_DRAFT, **changes):
    return replace(form_data(client.get(snippet_url("source", "add")), button), **source_fields(**changes))


def test_the_editor_adds_a_source_as_a_draft(as_editor):
    response = as_editor.post(snippet_url("source", "add"), new_source(as_editor))

    assert_saved(response, "Source 'Postcoital Dysphoria: Prevalence and Correlates Among Males (2019)' created.")
    source = Source.objects.get()
    assert not source.live and source.revisions.count() == 1
    assert (source.year, source.kind) == (2019, "survey")
    assert source.link == "https://doi.org/10.1080/0092623X.2018.1488326"


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"year": "", "doi": "", "pmid": "", "url": "https://psychcentral.com/"}, id="a-website"),
        pytest.param({"year": str(NEXT_YEAR - 1)}, id="this-years-study"),
        pytest.param({"doi": "", "pmid": "30015533"}, id="pmid-only"),
    ],
)
def test_valid_sources_save(as_editor, changes):
    assert_saved(as_editor.post(snippet_url("source", "add"), new_source(as_editor, **changes)), "Source ")
    assert Source.objects.get().revisions.count() == 1


@pytest.fixture
def source(db):
    return factories.make_source(title="A survey of tears", year=2020, kind="survey")


def test_the_editor_edits_a_source_from_its_rendered_form(as_editor, source):
    data = form_data(as_editor.get(snippet_url("source", "edit", source)))
    assert (data["title"], data["year"], data["kind"]) == ("A survey of tears", "2020", "survey")
    data |= {"pmid": "30015533", "authors": "Schweitzer RD"}

    response = as_editor.post(snippet_url("source", "edit", source), data)

    assert_saved(response, "Source 'A survey of tears (2020)' updated.")
    source.refresh_from_db()
    assert source.revisions.count() == 2 and source.has_unpublished_changes
    assert source.get_latest_revision_as_object().pmid == "30015533" and source.pmid == ""


DOI_MESSAGE = 'A DOI starts with "10." and a registrant code, for example 10.1000/xyz123.'
BAD_SOURCE_VALUES = [
    pytest.param({"year": str(NEXT_YEAR)}, "year", "A source cannot be published in the future.", id="future-year"),
    pytest.param({"year": "2019a"}, "year", "Enter a whole number.", id="year-not-a-number"),
    pytest.param({"year": "-2019"}, "year", "Ensure this value is greater than or equal to 0.", id="negative-year"),
    pytest.param({"doi": "doi:10.1080/0092623X"}, "doi", DOI_MESSAGE, id="doi-with-a-prefix"),
    pytest.param({"doi": "https://doi.org/10.1080/x"}, "doi", DOI_MESSAGE, id="doi-as-a-link"),
    pytest.param({"doi": "10.12/x"}, "doi", DOI_MESSAGE, id="doi-registrant-too-short"),
    pytest.param({"doi": "10.١٢٣٤/x"}, "doi", DOI_MESSAGE, id="doi-with-non-ascii-digits"),
    pytest.param({"pmid": "PMC30015533"}, "pmid", "A PMID is a number.", id="pmid-with-letters"),
    pytest.param({"pmid": "300 155"}, "pmid", "A PMID is a number.", id="pmid-with-a-space"),
    pytest.param({"pmid": "3001553²"}, "pmid", "A PMID is a number.", id="pmid-with-a-superscript"),
    pytest.param({"url": "psychcentral"}, "url", "Enter a valid URL.", id="url-not-a-url"),
    pytest.param(
        {"kind": "podcast"}, "kind", "Select a valid choice. podcast is not one of the available choices.", id="kind"
    ),
]


@pytest.mark.parametrize("changes, field, message", BAD_SOURCE_VALUES)
def test_a_bad_source_value_is_refused_on_its_field_when_adding(as_editor, changes, field, message):
    revisions = Revision.objects.count()

    response = as_editor.post(snippet_url("source", "add"), new_source(as_editor, **changes))

    assert_refused_on_field(response, field, message)
    assert not Source.objects.exists() and Revision.objects.count() == revisions


@pytest.mark.parametrize("changes, field, message", BAD_SOURCE_VALUES)
def test_a_bad_source_value_is_refused_on_its_field_when_editing(as_editor, source, changes, field, message):
    data = form_data(as_editor.get(snippet_url("source", "edit", source))) | changes

    response = as_editor.post(snippet_url("source", "edit", source), data)

    assert_refused_on_field(response, field, message)
    assert source.revisions.count() == 1
    assert Source.objects.get(pk=source.pk).latest_revision_id == source.latest_revision_id


def test_every_bad_source_field_is_named_at_once(as_editor):
    changes = {"year": str(NEXT_YEAR), "doi": "doi:10.1/x", "pmid": "PMC1"}

    response = as_editor.post(snippet_url("source", "add"), new_source(as_editor, **changes))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "year": ["A source cannot be published in the future."],
        "doi": [DOI_MESSAGE],
        "pmid": ["A PMID is a number."],
    }
    assert not Source.objects.exists()


def test_a_source_without_a_title_waits_in_a_draft_and_stops_its_submission(as_editor, lead):
    assert_saved(as_editor.post(snippet_url("source", "add"), new_source(as_editor, title="")), "Source ")
    source = Source.objects.get()
    as_editor.force_login(lead)

    url = snippet_url("source", "edit", source)
    response = as_editor.post(url, form_data(as_editor.get(url), SUBMIT))

    assert_refused_on_field(response, "title", REQUIRED)
    source.refresh_from_db()
    assert not source.live and source.revisions.count() == 1
