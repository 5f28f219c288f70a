"""The admin's webhook screens, for superusers only: endpoints (URL, secret, events) and the read-only
log of deliveries (status, attempts, last error), with a Retry button for a delivery that gave up.

An endpoint's secret is never listed or shown again after it is set: leave it blank on creation and a
strong one is generated and shown once, on the page after saving; type one to set it; leave it blank
when editing to keep it.
"""

import json
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .delivery import retry
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from .targets import RefusedTarget, check_url


class SuperuserOnlyPolicy(BasePermissionPolicy):
    """Superusers may do `actions` on the model; nobody else may do anything, whatever their groups."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = set(actions)

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser and action in self.actions)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if self.actions & set(actions) else users.none()


register_permission_policy(WebhookEndpoint, SuperuserOnlyPolicy(WebhookEndpoint, ["add", "change", "delete"]))
register_permission_policy(WebhookDelivery, SuperuserOnlyPolicy(WebhookDelivery, ["view"]))


def generate_secret():
    return secrets.token_urlsafe(32)


class WebhookEndpointForm(WagtailAdminModelForm):
    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", help_text=WebhookEndpoint._meta.get_field("url").help_text
    )
    events = forms.MultipleChoiceField(choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple)
    secret = forms.CharField(
        required=False,
        min_length=16,
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Signs every delivery (HMAC-SHA256). Leave blank to generate one, shown once after saving; "
        "when editing, leave blank to keep the current secret.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except RefusedTarget as error:
            raise forms.ValidationError(str(error), code="refused_target") from error
        return url

    def clean(self):
        cleaned_data = super().clean()
        self.generated_secret = None
        if cleaned_data.get("secret"):
            self.instance.secret = cleaned_data["secret"]
        elif not self.instance.secret:
            self.instance.secret = self.generated_secret = generate_secret()
        return cleaned_data


class WebhookEndpointCreateView(generic.CreateView):
    def save_action(self):
        secret = getattr(self.form, "generated_secret", None)
        if not secret or self.expects_json_response:
            return super().save_action()
        response = TemplateResponse(
            self.request,
            "cms/admin/webhook_secret.html",
            {
                "page_title": "Webhook endpoint secret",
                "header_icon": "key",
                "endpoint": self.object,
                "secret": secret,
                "index_url": reverse(self.index_url_name),
            },
        )
        add_never_cache_headers(response)
        return response


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    icon = "link"
    menu_label = "Endpoints"
    url_prefix = "webhooks/endpoints"
    add_view_class = WebhookEndpointCreateView
    list_display = ["name", "url", "events_display", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().none()  # superusers only: nothing to grant to groups


class WebhookDeliveryInspectView(generic.InspectView):
    template_name = "cms/admin/webhook_delivery_inspect.html"
    fields = [
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    ]

    def get_payload_display_value(self):
        return format_html("<pre>{}</pre>", json.dumps(self.object.payload, indent=2, sort_keys=True))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.status != WebhookDelivery.Status.DELIVERED:
            context["retry_url"] = reverse("webhook_deliveries:retry", args=[self.object.pk])
        return context


class WebhookDeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint")


@require_POST
def retry_delivery(request, pk):
    if not request.user.is_superuser:
        raise PermissionDenied
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    if delivery.status != WebhookDelivery.Status.DELIVERED:
        retry(delivery)
        messages.success(request, "The delivery will be sent again within a minute.")
    return redirect("webhook_deliveries:inspect", delivery.pk)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "mail"
    menu_label = "Deliveries"
    url_prefix = "webhooks/deliveries"
    index_view_class = WebhookDeliveryIndexView
    inspect_view_enabled = True
    inspect_view_class = WebhookDeliveryInspectView
    copy_view_enabled = False
    form_fields = []  # nobody adds or edits a delivery (see the policy); the form is never shown
    list_display = [
        "event",
        "object_title",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "last_error_summary",
        "created_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]

    def get_permissions_to_register(self):
        return super().get_permissions_to_register().none()

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", retry_delivery, name="retry")]


class WebhooksViewSetGroup(ModelViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link"
    menu_order = 900
    items = [WebhookEndpointViewSet("webhook_endpoints"), WebhookDeliveryViewSet("webhook_deliveries")]
