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

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.utils.functional import cached_property

ADMIN_PREFIX = "/admin/"
API_PREFIX = "/api/"
# What a view's @csp decorators leave on its response; without them (and without a nonce) the header is the
# path's policy alone.
CSP_RESPONSE_ATTRIBUTES = tuple(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)


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

    @cached_property
    def built_policies(self):
        """Each area's (enforced, report-only) header, built once: django-csp builds it anew for every response,
        which costs more than all the rest of a page-cache hit."""
        built = {}
        for which, policy in self.policies.items():
            enforce = which != "admin" or settings.VERITY_ADMIN_CSP_ENFORCE
            built[which] = (
                (build_policy(config=policy), None)
                if enforce
                else (None, build_policy(config=policy, report_only=True))
            )
        return built

    def is_the_path_policy_alone(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None:
            return False  # the page asked for a nonce: the header names it
        if settings.DEBUG and response.status_code in (404, 500):
            return False  # django-csp leaves Django's debug pages alone
        return not any(hasattr(response, attribute) for attribute in CSP_RESPONSE_ATTRIBUTES)

    def set_the_path_policy(self, request, response):
        """What CSPMiddleware.process_response does when nothing but the path chooses the policy."""
        enforced, report_only = self.built_policies[area(request.path_info)]
        for header, value in ((HEADER, enforced), (HEADER_REPORT_ONLY, report_only)):
            if value and header not in response:
                response[header] = value
        # As django-csp: a nonce asked for after the header is written would be in no header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)

    def process_response(self, request, response):
        if area(request.path_info) == "admin":
            # A preview is the public page rendered through the whole middleware stack once more, for its own
            # path (Wagtail's make_preview_request), so it comes back with the site's headers; the admin URL
            # that serves it inside the admin's frame answers with the admin's.
            for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only", "X-Frame-Options"):
                if header in response:
                    del response[header]
        if self.is_the_path_policy_alone(request, response):
            self.set_the_path_policy(request, response)
        else:
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
