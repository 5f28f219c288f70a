"""The admin of reviewer credentials: the records (administrators add and verify them), the "Credentials
expiring" report and its dashboard panel. Registers its hooks; imported by cms/wagtail_hooks.py."""

from django import forms
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from ..admin_reports import AdminReport
from ..dashboard import DashboardPanel
from .credentials import (
    CREDENTIAL_UNVERIFIED_ACTION,
    CREDENTIAL_VERIFIED_ACTION,
    ReviewerCredential,
    expiring_credentials,
    verification_changed,
)
from .reports import can_see_reviews_due


class CredentialForm(WagtailAdminModelForm):
    """A credential's details, and the administrator's word that they checked it with its issuing body.

    Verifying records who and when; an edit of what was verified without verifying again withdraws it."""

    verify = forms.BooleanField(
        required=False,
        label="I checked this credential with its issuing body today",
        help_text="Records you and today's date as its verification. Leave unticked to keep the current one; "
        "changing the details without ticking it withdraws the verification.",
    )

    def save(self, commit=True):
        instance = super().save(commit=False)
        before = ReviewerCredential.objects.filter(pk=instance.pk).first() if instance.pk else None
        action = None
        if self.cleaned_data.get("verify"):
            instance.verify(self.for_user)
            action = CREDENTIAL_VERIFIED_ACTION
        elif before and before.verified_on and verification_changed(before, instance):
            instance.verified_on, instance.verified_by = None, None
            action = CREDENTIAL_UNVERIFIED_ACTION
        if commit:
            instance.save()
            if action:
                log(instance=instance, action=action, user=self.for_user, data={"credential": str(instance)})
        return instance


class ReviewerCredentialViewSet(ModelViewSet):
    model = ReviewerCredential
    icon = "success"
    menu_label = "Reviewer credentials"
    menu_order = 205
    add_to_admin_menu = True
    name = "reviewer_credentials"
    list_display = ["expert", "title", "kind", "issuing_body", "country", "verified_on", "expires_on"]
    list_filter = ["kind", "country"]
    search_fields = ["title", "number", "issuing_body", "expert__name"]
    panels = [
        FieldPanel("expert"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("title")]),
                FieldRowPanel([FieldPanel("number"), FieldPanel("issuing_body"), FieldPanel("country")]),
                FieldPanel("expires_on"),
            ],
            heading="Credential",
        ),
        FieldPanel("verify"),
    ]

    def get_form_class(self, for_update=False):
        from wagtail.admin.panels import ObjectList

        return ObjectList(self.panels, base_form_class=CredentialForm).bind_to_model(self.model).get_form_class()


class ExpiringCredentialsView(AdminReport):
    page_title = "Credentials expiring"
    header_icon = "warning"
    url_path = "credentials-expiring"
    menu_order = 51
    results_template_name = "cms/admin/expiring_credentials_results.html"
    index_url_name = "verity_expiring_credentials"
    index_results_url_name = "verity_expiring_credentials_results"
    list_export = [
        "expert.full_name",
        "credential.title",
        "credential.number",
        "credential.issuing_body",
        "lapses_on",
        "reason",
    ]
    export_headings = {
        "expert.full_name": "Reviewer",
        "credential.title": "Credential",
        "credential.number": "Number",
        "credential.issuing_body": "Issuing body",
        "lapses_on": "Lapses on",
        "reason": "Why",
    }

    @classmethod
    def can_see(cls, user):
        return can_see_reviews_due(user)

    def get_queryset(self):
        return expiring_credentials()


class ExpiringCredentialsPanel(DashboardPanel):
    """On the dashboard of administrators, leads and reviewers: credentials lapsing within the warning window."""

    name = "expiring_credentials"
    order = 60
    template_name = "cms/admin/expiring_credentials_panel.html"


@hooks.register("register_admin_viewset")
def register_credentials_viewset():
    return ReviewerCredentialViewSet()


ExpiringCredentialsView.register()


@hooks.register("construct_homepage_panels")
def add_expiring_credentials_panel(request, panels):
    if can_see_reviews_due(request.user) and (rows := expiring_credentials()):
        panels.append(ExpiringCredentialsPanel(rows=rows))


@hooks.register("register_log_actions")
def register_credential_actions(actions):
    actions.register_action(
        CREDENTIAL_VERIFIED_ACTION, "Verify credential", lambda entry: f"Verified {entry.data.get('credential', '')}"
    )
    actions.register_action(
        CREDENTIAL_UNVERIFIED_ACTION,
        "Withdraw credential verification",
        lambda entry: f"Verification withdrawn (details changed): {entry.data.get('credential', '')}",
    )
