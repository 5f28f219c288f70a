"""The interactive API docs at /api/v3/docs/: Swagger UI served from this project, never from a CDN.

Django Ninja's own docs page loads Swagger UI from a CDN unless `ninja` is an installed app, so it is blank
on a machine without internet access. This page serves the npm package's files from static/api-docs/
(swagger-ui-dist 5.35.0, Apache-2.0, licence files beside them) and starts them with
static/api-docs/swagger-init.js, reading its settings from a JSON script element: no inline script.

The API's Content-Security-Policy (`default-src 'none'`) would stop every asset of the page, so the page
answers with its own policy (django-csp reads `_csp_config`, as its `@csp` decorator sets it; cms/
security_headers.py lets a view's own policy win): scripts, styles and fonts from this origin, images from
this origin and data: URLs (Swagger UI's icons), requests ("Try it out") to this origin and to the public
address the document's `servers` names, nothing framed, no forms elsewhere.
"""

from pathlib import Path

from django.http import HttpResponse
from django.template import Context, Engine, Template
from django.urls import reverse
from ninja.openapi.docs import DocsBase

from cms.site.address import public_url

TEMPLATE = Path(__file__).with_name("docs.html")


def docs_policy():
    return {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'", public_url()],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    }


class OfflineSwagger(DocsBase):
    settings = {"deepLinking": True, "layout": "BaseLayout", "validatorUrl": None, "tryItOutEnabled": False}

    def render_page(self, request, api, **kwargs):
        template = Template(TEMPLATE.read_text(), engine=Engine.get_default())
        context = {
            "title": f"{api.title} — docs",
            "settings": {**self.settings, "url": reverse(f"{api.urls_namespace}:openapi-json", kwargs=kwargs)},
        }
        response = HttpResponse(template.render(Context(context)))
        response._csp_config = docs_policy()
        return response


def install(api):
    api.docs = OfflineSwagger()
