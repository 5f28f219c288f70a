"""Reviewer credentials as records: the medical step refuses an approval, naming the credential, when the
approver holds none verified and current, and allows it once renewed; the trust line shows only verified
credentials; administrators verify them through the admin's own forms (kept in the history); the report and
the dashboard list those lapsing soon in a fixed number of queries; reminders go out 30 and 7 days before."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from blog.models import BlogPostPage
from cms.models import CredentialReminder, MedicalReviewSettings, MedicalSignOff, ReviewerCredential
from cms.review.claims import claims_in
from cms.review.credentials import expiring_credentials

from ... import factories
from ...admin_forms import form_data
from ...html import get_soup
from ..review_steps import approve_editorial_step, submit
from ..workflow_helpers import make_team


@pytest.fixture
def team(db):
    team = make_team()
    team["expert"] = team["reviewer"].expert_profile
    team["licence"] = team["expert"].credential_records.get()
    return team


@pytest.fixture
def in_medical_review(blog, team):
    source = factories.make_source()
    post = factories.make_post(blog, body=[factories.claim([source], "Crying after sex is common.")], live=False)
    submit(post, team["editor"])
    approve_editorial_step(post, team["lead"])
    post.refresh_from_db()
    return post


def verify_claims(client, post, reviewer):
    client.force_login(reviewer)
    url = reverse("verity_medical_review", args=[post.pk])
    for claim in claims_in(post.current_workflow_task_state.revision.as_object().body):
        assert client.post(url, {"action": "verify", "block_id": claim.block_id}).status_code == 302


def approve_through_wagtail(client, post):
    """Wagtail's own workflow action view, as the dashboard's Approve button posts it."""
    task_state = post.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[post.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""}, follow=True)


def messages_of(response):
    return " ".join(str(message) for message in response.context["messages"])


@pytest.mark.parametrize(
    "lapse, said",
    [
        ({"expires_on": timezone.localdate() - timedelta(days=1)}, "expired on"),
        ({"verified_on": None}, "is not verified"),
        ({"verified_on": timezone.localdate() - timedelta(days=800)}, "due for re-verification"),
    ],
)
def test_approval_is_refused_naming_the_lapsed_credential_and_allowed_once_renewed(
    client, in_medical_review, team, lapse, said
):
    post = in_medical_review
    ReviewerCredential.objects.filter(pk=team["licence"].pk).update(**lapse)
    verify_claims(client, post, team["reviewer"])

    response = approve_through_wagtail(client, post)
    text = messages_of(response)
    assert "Approval refused" in text and team["licence"].number in text and said in text
    post.refresh_from_db()
    assert not post.live and post.current_workflow_task.name == "Medical review"
    assert not MedicalSignOff.objects.filter(page=post).exists()

    # The medical review screen refuses it the same way.
    response = client.post(reverse("verity_medical_review", args=[post.pk]), {"action": "approve"}, follow=True)
    assert "Approval refused" in messages_of(response) and team["licence"].number in messages_of(response)
    post.refresh_from_db()
    assert not post.live

    # An administrator renews and verifies it through the admin's form: the same approval now passes.
    client.force_login(team["admin"])
    edit_url = reverse("reviewer_credentials:edit", args=[team["licence"].pk])
    renewed = timezone.localdate() + timedelta(days=365)
    data = form_data(client.get(edit_url), "Save") | {"expires_on": renewed.isoformat(), "verify": "on"}
    assert client.post(edit_url, data).status_code == 302
    licence = ReviewerCredential.objects.get(pk=team["licence"].pk)
    assert (licence.verified_on, licence.verified_by, licence.expires_on) == (
        timezone.localdate(),
        team["admin"],
        renewed,
    )

    client.force_login(team["reviewer"])
    response = approve_through_wagtail(client, post)
    assert "Approval refused" not in messages_of(response)
    post.refresh_from_db()
    assert post.live
    assert MedicalSignOff.objects.get(page=post).expert == team["expert"]


def test_a_reviewer_without_any_credential_is_refused(client, in_medical_review, team):
    team["licence"].delete()
    verify_claims(client, in_medical_review, team["reviewer"])
    response = approve_through_wagtail(client, in_medical_review)
    assert "Dr. Ana Reyes has no licence or board certification on record" in messages_of(response)
    in_medical_review.refresh_from_db()
    assert not in_medical_review.live


def test_the_trust_line_shows_only_verified_current_credentials(client, blog, team):
    expert = team["expert"]
    factories.make_credential(expert, title="FACOG", kind=ReviewerCredential.Kind.BOARD)
    factories.make_credential(expert, title="PhD (unverified)", verified=False)
    factories.make_credential(expert, title="MPH (expired)", expires_in_days=-1)
    post = factories.make_post(blog, body=[factories.claim([factories.make_source()])])
    factories.review_medically(post, team["reviewer"])

    line = get_soup(client, post.url).select_one(".reviewed-by").get_text()
    assert "Dr. Ana Reyes, MD, FACOG on" in " ".join(line.split())
    assert "unverified" not in line and "expired" not in line
    # Expert.credentials_json_ld, what the JSON-LD's reviewer carries: the same two.
    assert [entry["name"] for entry in expert.credentials_json_ld()] == ["MD", "FACOG"]

    # When every credential lapses, the line names the reviewer without any.
    ReviewerCredential.objects.filter(expert=expert).update(expires_on=timezone.localdate() - timedelta(days=1))
    line = " ".join(get_soup(client, post.url).select_one(".reviewed-by").get_text().split())
    assert line.startswith("Medically reviewed by Dr. Ana Reyes on ")


def test_an_edit_of_what_was_verified_withdraws_the_verification_and_the_history_says_who(client, team):
    client.force_login(team["admin"])
    add_url = reverse("reviewer_credentials:add")
    data = form_data(client.get(add_url), "Create") | {
        "expert": str(team["expert"].pk),
        "kind": "board",
        "title": "FACOG",
        "number": "B-77",
        "issuing_body": "American Board of Obstetrics and Gynecology",
        "country": "us",
        "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
        "verify": "on",
    }
    assert client.post(add_url, data).status_code == 302
    board = ReviewerCredential.objects.get(number="B-77")
    assert board.country == "US" and board.verified_by == team["admin"] and board.is_in_good_standing()

    edit_url = reverse("reviewer_credentials:edit", args=[board.pk])
    data = form_data(client.get(edit_url), "Save") | {"number": "B-78"}
    data.pop("verify", None)
    assert client.post(edit_url, data).status_code == 302
    board.refresh_from_db()
    assert board.verified_on is None and not board.is_in_good_standing()

    actions = list(
        ModelLogEntry.objects.filter(object_id=str(board.pk), content_type__model="reviewercredential")
        .order_by("timestamp", "pk")
        .values_list("action", "user__username")
    )
    assert ("verity.credential_verified", "admin") in actions
    assert ("verity.credential_unverified", "admin") in actions
    assert ("wagtail.create", "admin") in actions and ("wagtail.edit", "admin") in actions
    history = client.get(reverse("reviewer_credentials:history", args=[board.pk]))
    assert history.status_code == 200 and "Verify credential" in history.content.decode()


def test_only_administrators_manage_credentials(client, team):
    url = reverse("reviewer_credentials:edit", args=[team["licence"].pk])
    for name in ("editor", "lead", "reviewer", "shop"):
        client.force_login(team[name])
        response = client.post(url, {"title": "Forged", "verify": "on"})
        assert response.status_code in (302, 403)
    assert ReviewerCredential.objects.get(pk=team["licence"].pk).title == "MD"


def test_the_report_and_the_dashboard_list_credentials_lapsing_within_the_window_in_fixed_queries(client, team):
    MedicalReviewSettings.load()
    counts = {}
    for size in (2, 12):
        while ReviewerCredential.objects.count() < size + 1:  # the team's own, a year away, is outside the window
            factories.make_credential(
                factories.make_expert(photo=False), expires_in_days=10 + ReviewerCredential.objects.count()
            )
        with CaptureQueriesContext(connection) as context:
            rows = expiring_credentials()
        counts[size] = len(context.captured_queries)
        assert len(rows) == size
    assert counts[2] == counts[12]
    factories.make_credential(factories.make_expert(photo=False, name="Far Away"), expires_in_days=61)

    client.force_login(team["lead"])
    report = client.get(reverse("verity_expiring_credentials"))
    assert report.status_code == 200
    rows = get_soup(client, reverse("verity_expiring_credentials")).select("table.listing tbody tr")
    assert len(rows) == 12 and "Far Away" not in report.content.decode()
    csv = client.get(reverse("verity_expiring_credentials") + "?export=csv")
    assert csv.status_code == 200 and b"Lapses on" in b"".join(csv.streaming_content)
    dashboard = get_soup(client, reverse("wagtailadmin_home"))
    assert len(dashboard.select("#expiring-credentials-section tbody tr")) == 12

    client.force_login(team["editor"])
    assert client.get(reverse("verity_expiring_credentials")).status_code in (302, 403)


def test_reminders_go_to_admins_and_the_reviewer_30_and_7_days_before_once_each(team, monkeypatch):
    from cms.review import credential_reminders, credentials

    team["expert"].email = "ana@example.org"
    team["expert"].save()
    licence = team["licence"]
    licence.expires_on = timezone.localdate() + timedelta(days=40)
    licence.save()

    def on(days_from_now):
        day = timezone.localdate() + timedelta(days=days_from_now)
        monkeypatch.setattr(credentials, "today", lambda: day)
        monkeypatch.setattr(credential_reminders, "today", lambda: day)

    sent = []
    for days in range(0, 42):
        on(days)
        mail.outbox.clear()
        call_command("send_credential_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("send_credential_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
        sent += [(days, message.subject, sorted(message.to)) for message in mail.outbox]
    # Lapsing on day 41 (the day after its expiry): reminders on days 11 (30 days before) and 34 (7 days before).
    assert [day for day, _, _ in sent] == [11, 34]
    assert all(to == ["admin@example.com", "ana@example.org"] for _, _, to in sent)
    assert "lapses in 30 days" in sent[0][1] and "lapses in 7 days" in sent[1][1]
    assert CredentialReminder.objects.count() == 2


def test_the_scheduler_runs_the_reminders(db, monkeypatch, tmp_path):
    from cms.management.commands import run_scheduler

    ran = []
    original = run_scheduler.call_command
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)
    monkeypatch.setattr(
        run_scheduler, "call_command", lambda name, *a, **k: ran.append(name) or original(name, *a, **k)
    )
    call_command("run_scheduler", "--once", "--heartbeat", str(tmp_path / "beat"))
    assert "send_credential_reminders" in ran


def test_the_demo_reviewer_holds_verified_credentials_and_the_seed_post_is_reviewed(client, demo):
    seed = BlogPostPage.objects.get(slug="what-it-means-if-you-cry-after-sex")
    line = " ".join(get_soup(client, seed.url).select_one(".reviewed-by").get_text().split())
    assert line.startswith("Medically reviewed by Dr. Ana Reyes, MD, Board-certified OB-GYN on ")


def test_a_superuser_approves_without_a_profile_but_not_as_an_expert_without_a_credential(
    client, in_medical_review, team
):
    verify_claims(client, in_medical_review, team["reviewer"])
    admin = team["admin"]
    factories.make_expert(name="Ada Admin", user=admin)
    client.force_login(admin)
    response = approve_through_wagtail(client, in_medical_review)
    assert "Ada Admin has no licence or board certification on record" in messages_of(response)
    in_medical_review.refresh_from_db()
    assert not in_medical_review.live

    # Without an expert profile a superuser (who may publish directly anyway) approves, and no trust line is shown.
    admin.expert_profile.delete()
    admin.refresh_from_db()
    client.force_login(admin)
    approve_through_wagtail(client, in_medical_review)
    post = BlogPostPage.objects.get(pk=in_medical_review.pk)
    assert post.live and post.medical_review is None


def test_editorial_leads_keep_the_help_resources_through_the_snippet_admin(client, team):
    url = reverse("wagtailsnippets_cms_helpresource:add")
    client.force_login(team["lead"])
    data = {"country": "gb", "sort_order": "0", "name": "Samaritans", "description": "", "phone": "116 123"}
    data |= {"text": "", "url": "https://www.samaritans.org/", "hours": "24/7"}
    assert client.post(url, data).status_code == 302
    from cms.models import HelpResource

    assert HelpResource.objects.get().country == "GB"
    client.force_login(team["editor"])
    assert client.post(url, data | {"name": "Forged"}).status_code in (302, 403)
    assert HelpResource.objects.count() == 1
