"""Refusals the API answers itself instead of guessing or failing: unknown query parameters, impossible moves.

`refuse_unknown_parameters` wraps every operation, once, at mount time (cms/api/routers.py), as
cms/api/concurrency.py wraps the page writes:

- A query parameter the operation does not declare (`?bogus=1`, `?fields=secret`) is refused with **400**
  and a problem document naming it, before anything runs: a misspelt filter (`?tags=` for `?tag=`) would
  otherwise answer the unfiltered list as if it were the filtered one. The declared parameters are the
  ones the OpenAPI document lists (Ninja's query models, flattened as the document shows them, and any
  `openapi_extra` query parameters), so a client that sends only documented parameters — schemathesis
  included — is never refused. Wagtail's own list and find endpoints (pages, images, documents,
  snippets, redirects) also filter by any of the model's API fields (`?slug=...`, `?title=...`) read
  from the raw query string, which the document cannot list: they are left as Wagtail has them.
- `POST /pages/{id}/actions/move/` with a position beside its destination (no position, `left`, `right`,
  `first-sibling`, `last-sibling`) and the tree's root as destination asks for a second root; Wagtail 8
  answered it with a 500 (`'NoneType' object has no attribute 'is_descendant_of'`). It is a **403**: no one
  may put a page beside the root. Likewise `…/actions/copy/` and `…/create_alias/` of the root itself
  without a `destination_id` (the copy would go beside it: Wagtail answered `'NoneType' object has no
  attribute 'get_children'`, a 500) are a 403. A destination that does not exist stays Wagtail's 404.
"""

import inspect
from functools import wraps

from django.core.exceptions import PermissionDenied
from ninja.openapi.schema import flatten_properties
from wagtail.models import Page

from .common import PROBLEM_RESPONSE
from .limits import problem

SIBLING_POSITIONS = {None, "left", "right", "first-sibling", "last-sibling"}


def declared_query_parameters(operation):
    """The names of the query parameters the OpenAPI document lists for `operation`."""
    names = set()
    for model in operation.models:
        if model.__ninja_param_source__ != "query":
            continue
        schema = model.model_json_schema()
        required = set(schema.get("required", []))
        for name, details in schema["properties"].items():
            for flat_name, _schema, _required in flatten_properties(
                name, details, name in required, schema.get("$defs", {})
            ):
                names.add(flat_name)
    for parameter in (operation.openapi_extra or {}).get("parameters", []):
        if parameter.get("in") == "query":
            names.add(parameter["name"])
    return names


def reads_raw_query(operation):
    """Whether the view reads request.GET itself (Wagtail's field filters), beyond what it declares."""
    try:
        return "request.GET" in inspect.getsource(inspect.unwrap(operation.view_func))
    except (OSError, TypeError):
        return True  # cannot tell: leave it alone


def unknown_parameters_refused(run, declared):
    @wraps(run)
    def checked_run(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - declared)
        if unknown:
            names = ", ".join(f"`{name}`" for name in unknown)
            known = ", ".join(f"`{name}`" for name in sorted(declared)) or "none"
            return problem(
                400,
                f"Unknown query parameter{'s' if len(unknown) > 1 else ''} {names}; this endpoint takes: {known}.",
                errors=[
                    {"type": "unknown_parameter", "loc": ["query", name], "msg": "Unknown query parameter"}
                    for name in unknown
                ],
            )
        return run(request, *args, **kwargs)

    return checked_run


def refuse_unknown_parameters(operation):
    if getattr(operation, "verity_strict_query", False) or reads_raw_query(operation):
        return
    declared = frozenset(declared_query_parameters(operation))

    def decorator(run):
        return unknown_parameters_refused(run, declared)

    # As Ninja's decorate_view does: a run decorator that a clone of the operation applies again.
    operation.run = decorator(operation.run)
    operation._run_decorators = [*getattr(operation, "_run_decorators", []), decorator]
    extra = operation.openapi_extra = dict(operation.openapi_extra or {})
    responses = extra.setdefault("responses", {})
    if "400" not in responses and 400 not in responses:
        responses["400"] = {"description": "An unknown query parameter.", "content": PROBLEM_RESPONSE}
    operation.verity_strict_query = True


def is_root(page_id):
    page = Page.objects.filter(pk=page_id).only("depth").first()
    return page is not None and page.is_root()


def no_second_root(view_func, operation_id):
    """The move, copy or alias view, refusing with 403 what would put a page beside the tree's root."""

    @wraps(view_func)
    def checked(request, *args, **kwargs):
        data = kwargs.get("data")
        destination_id = getattr(data, "destination_id", None)
        if operation_id == "pages_actions_move":
            if getattr(data, "position", None) in SIBLING_POSITIONS and destination_id and is_root(destination_id):
                raise PermissionDenied(
                    "A page cannot be moved beside the root of the page tree. Move it under a page instead: "
                    'give that page as destination_id with "position": "last-child".'
                )
        elif destination_id is None and is_root(kwargs.get("page_id")):
            raise PermissionDenied(
                "The root of the page tree has no parent to copy it into: give a destination_id to copy under."
            )
        return view_func(request, *args, **kwargs)

    return checked


ROOT_GUARDED = frozenset({"pages_actions_move", "pages_actions_copy", "pages_actions_create_alias"})


def guard_moves(operation):
    if operation.operation_id in ROOT_GUARDED and not getattr(operation, "verity_root_guarded", False):
        operation.view_func = no_second_root(operation.view_func, operation.operation_id)
        operation.verity_root_guarded = True


def guard_operations(operations):
    for operation in operations:
        guard_moves(operation)
        refuse_unknown_parameters(operation)
