"""Content-Security-Policy and the other security headers, chosen by what a response is.

Three policies, by path (`policy_for`):

- the public site: strict. Scripts from this origin only (or by nonce, where a template asks for
  `request.csp_nonce`), no inline scripts or styles, no plugins, never framed.
- the API (`/api/`): JSON only, so nothing may load and nothing may frame it.
- the admin (`/admin/`): what Wagtail's admin needs (VERITY_ADMIN_CSP below), framed by this origin only:
  the editor's preview and the medical review screen show pages in same-origin iframes, which Wagtail
  serves from admin URLs. X-Frame-Options says the same: SAMEORIGIN there, DENY everywhere else.

The middleware sits high in MIDDLEWARE so that every response gets the headers: static files (WhiteNoise),
page-cache hits and the 503s included. Cross-Origin-Resource-Policy: same-origin goes on everything but
MEDIA_URL, whose files are meant to be embedded elsewhere (in production they come from object storage).
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils.functional import cached_property

ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"


def area(path):
    if path.startswith(ADMIN_PREFIX):
        return "admin"
    if path.startswith(API_PREFIX):
        return "api"
    return "site"


class SecurityHeadersMiddleware(CSPMiddleware):
    @cached_property
    def policies(self):
        return {
            "site": settings.VERITY_SITE_CSP,
            "api": settings.VERITY_API_CSP,
            "admin": settings.VERITY_ADMIN_CSP,
        }

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        # A view's own @csp(...) decorator still wins; otherwise the path chooses the policy.
        configured = getattr(response, "_csp_config_ro" if report_only else "_csp_config", None)
        if configured is None:
            which = area(request.path_info)
            enforce = which != "admin" or settings.VERITY_ADMIN_CSP_ENFORCE
            if enforce != report_only:
                parts = PolicyParts(self.policies[which], parts.update, parts.replace, parts.nonce)
            else:
                parts = PolicyParts({}, None, None, None)  # no policy of this kind here
        return parts

    def process_response(self, request, response):
        if area(request.path_info) == "admin":
            # A preview is the public page rendered through the whole middleware stack once more, for its own
            # path (Wagtail's make_preview_request), so it comes back with the site's headers; the admin URL
            # that serves it inside the admin's frame answers with the admin's.
            for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only", "X-Frame-Options"):
                if header in response:
                    del response[header]
        response = super().process_response(request, response)
        if area(request.path_info) == "admin":
            # Django's XFrameOptionsMiddleware (below this one) said DENY; the admin's previews need SAMEORIGIN.
            response["X-Frame-Options"] = "SAMEORIGIN"
        else:
            response.setdefault("X-Frame-Options", "DENY")
        media_url = settings.MEDIA_URL
        if not (media_url.startswith("/") and request.path_info.startswith(media_url)):
            response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
