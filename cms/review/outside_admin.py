"""Where an editorial lead invites an outside reviewer to a post waiting for medical review, sees the links
given for it and revokes them. Registers its hooks; imported by cms/wagtail_hooks.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page

from .invitations import InvitationRefused, ReviewInvitation, invite, revoke
from .roles import EDITORIAL_LEADS
from .task import MedicalReviewTask


def can_invite(user):
    return user.is_superuser or user.groups.filter(name=EDITORIAL_LEADS).exists()


class InvitationForm(forms.Form):
    expert = forms.ModelChoiceField(queryset=None, help_text="An expert with an email and a verified credential.")
    email = forms.EmailField(required=False, help_text="Leave blank to use the expert's own address.")

    def __init__(self, *args, **kwargs):
        from cms.models import Expert

        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.filter(live=True, user__isnull=True).order_by("name")


def in_medical_review(page):
    task_state = page.current_workflow_task_state
    return task_state is not None and isinstance(task_state.task.specific, MedicalReviewTask)


@require_http_methods(["GET", "POST"])
def invite_outside_reviewer(request, page_id):
    if not can_invite(request.user):
        raise PermissionDenied
    page = get_object_or_404(Page, pk=page_id).specific
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert = form.cleaned_data["expert"]
        email = form.cleaned_data["email"] or expert.email
        try:
            invitation = invite(page, expert, email, request.user)
        except InvitationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            send_mail(
                f"Please review “{page.title}” for Verity",
                f"Dear {expert.full_name},\n\n{request.user.get_full_name() or request.user.get_username()} invites "
                f"you to review the medical claims of “{page.title}”. Open this link to verify each claim and "
                f"approve the post or ask for changes; no account is needed:\n\n{invitation.url}\n\n"
                f"The link is yours alone and stays valid until {invitation.expires_at:%-d %B %Y %H:%M %Z}.",
                None,
                [email],
            )
            messages.success(request, f"Invitation sent to {expert.full_name} at {email}.")
            return redirect("verity_invite_outside_reviewer", page.pk)
    invitations = ReviewInvitation.objects.filter(page=page).select_related("expert", "invited_by", "revoked_by")
    return TemplateResponse(
        request,
        "cms/admin/invite_outside_reviewer.html",
        {"page": page, "form": form, "invitations": invitations, "in_medical_review": in_medical_review(page)},
    )


@require_POST
def revoke_invitation(request, invitation_id):
    if not can_invite(request.user):
        raise PermissionDenied
    invitation = get_object_or_404(ReviewInvitation, pk=invitation_id)
    revoke(invitation, request.user)
    messages.success(request, f"The link given to {invitation.expert.full_name} no longer opens anything.")
    return redirect("verity_invite_outside_reviewer", invitation.page_id)


@hooks.register("register_admin_urls")
def register_outside_review_urls():
    return [
        path("medical-review/<int:page_id>/invite/", invite_outside_reviewer, name="verity_invite_outside_reviewer"),
        path(
            "medical-review/invitations/<int:invitation_id>/revoke/", revoke_invitation, name="verity_revoke_invitation"
        ),
    ]


@hooks.register("register_page_header_buttons")
def invite_button(page, user, view_name=None, next_url=None):
    if can_invite(user) and in_medical_review(page):
        yield Button(
            "Invite an outside reviewer",
            reverse("verity_invite_outside_reviewer", args=[page.pk]),
            icon_name="user",
            priority=60,
        )
