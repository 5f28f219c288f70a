"""No lost updates through the API: a page's ETag is its latest revision, its writes take If-Match and a row lock.

Wagtail 8's page endpoints (wagtail/api/v3/routers/pages.py) answer no ETag and read the page they update
without a lock: two concurrent PATCHes both build their form from the same latest revision, and the second
to commit forks the draft (a title-only save reverts the other editor's dek). `guard_page_operations` wraps
their operations once, at mount time (cms/api/routers.py), without forking them:

- every answer of a page read or write (2xx) carries `ETag: "rev-N"`, N being the page's latest revision
  id (`"rev-0"`: none yet), the version a client edits against; `GET /pages/{id}/?version=draft` shows it;
- a write (`PAGE_WRITES`) first locks the page's row (`SELECT ... FOR UPDATE`, in the request's transaction,
  which cms.operations.middleware.AtomicWritesMiddleware opens, or one of its own), then reads the page: concurrent
  writes of one page run one after the other, each on top of the latest revision, so a partial PATCH never
  writes back fields from a stale copy;
- with `If-Match`, a write whose tags do not name the latest revision is refused before it changes
  anything: **412 Precondition Failed**, RFC 9110's answer to a failed If-Match (§13.1.1; 409 is for a
  conflict with the resource's state that the request itself causes), a problem document with
  `current_revision` and `current_etag`, and the current `ETag`. `If-Match: *` accepts any existing page.
  Tags compare strongly (§8.8.3.2): a weak tag (`W/"rev-N"`) never matches.

The check and the lock run after authentication and input validation (they wrap the operation's view
function, which Ninja calls after both), so a client without a token learns nothing from them. A write that
fails (an answer of 400 or more) is rolled back with everything it wrote.
"""

import json
import re
from functools import partial, wraps

from django.db import transaction
from django.http import HttpResponse
from django.utils.http import parse_etags
from wagtail.models import Page

from .common import MAX_ID, PROBLEM_RESPONSE

PAGE_READS = frozenset({"pages_detail"})
PAGE_WRITES = frozenset({"pages_update", "pages_actions_publish", "pages_actions_unpublish", "pages_actions_revert"})

ETAG_PATTERN = re.compile(r'^"rev-(\d+)"$')


class PreconditionFailed(Exception):
    def __init__(self, revision_id):
        super().__init__(revision_id)
        self.revision_id = revision_id


def etag(revision_id):
    return f'"rev-{revision_id or 0}"'


def page_id_of(kwargs):
    value = str(kwargs.get("page_id", ""))
    return int(value) if value.isdecimal() and int(value) <= MAX_ID else None


def if_match_passes(header, revision_id):
    tags = parse_etags(header)
    return tags == ["*"] or etag(revision_id) in tags


def lock_and_check(view_func):
    """The write runs with its page's row locked, and only if its If-Match names the latest revision."""

    @wraps(view_func)
    def locked_write(request, *args, **kwargs):
        page_id = page_id_of(kwargs)
        if page_id is not None:
            row = Page.objects.select_for_update().filter(pk=page_id).values_list("latest_revision_id", flat=True)
            revision_ids = list(row)
            header = request.headers.get("If-Match")
            if revision_ids and header is not None and not if_match_passes(header, revision_ids[0]):
                raise PreconditionFailed(revision_ids[0])
        return view_func(request, *args, **kwargs)

    return locked_write


def with_etag(run, write):
    """Ninja's `Operation.run`, in a transaction for writes, its successful answers tagged with the revision."""

    @wraps(run)
    def tagged_run(request, *args, **kwargs):
        page_id = page_id_of(kwargs)
        if not write:
            response = run(request, *args, **kwargs)
        else:
            with transaction.atomic():
                response = run(request, *args, **kwargs)
                if response.status_code >= 400:
                    transaction.set_rollback(True)
        if page_id is not None and 200 <= response.status_code < 300:
            revision_ids = list(Page.objects.filter(pk=page_id).values_list("latest_revision_id", flat=True))
            if revision_ids:
                response["ETag"] = etag(revision_ids[0])
        return response

    return tagged_run


ETAG_HEADER = {"ETag": {"description": 'The page\'s latest revision, `"rev-N"`.', "schema": {"type": "string"}}}
IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": 'The ETag (`"rev-N"`) of the page\'s latest revision this write is based on; a stale one '
    "is refused with 412.",
}


def document(operation, write):
    extra = operation.openapi_extra = dict(operation.openapi_extra or {})
    # An integer key, as Ninja keys its own responses: a "200" string would be a second "200" in the JSON.
    extra.setdefault("responses", {})[200] = {"headers": ETAG_HEADER}
    if write:
        extra["parameters"] = [*extra.get("parameters", []), IF_MATCH_PARAMETER]
        extra["responses"][412] = {
            "description": "If-Match does not name the page's latest revision.",
            "content": PROBLEM_RESPONSE,
        }


def operations(router):
    for path_view in router.path_operations.values():
        yield from path_view.operations
    for _prefix, child, *_ in router._routers:
        yield from operations(child)


def guard_page_operations(router):
    """Wrap the page reads and writes of Wagtail's pages router (a template: Ninja clones it when it binds)."""
    for operation in operations(router):
        if operation.operation_id not in PAGE_READS | PAGE_WRITES or getattr(operation, "verity_guarded", False):
            continue
        write = operation.operation_id in PAGE_WRITES
        if write:
            operation.view_func = lock_and_check(operation.view_func)
        # As Ninja's decorate_view does: a run decorator that a clone of the operation applies again.
        decorator = partial(with_etag, write=write)
        operation.run = decorator(operation.run)
        operation._run_decorators = [*getattr(operation, "_run_decorators", []), decorator]
        document(operation, write)
        operation.verity_guarded = True


def register(api):
    """Answer PreconditionFailed with 412, a problem document naming the current revision."""

    @api.exception_handler(PreconditionFailed)
    def precondition_failed(request, exc):
        current = etag(exc.revision_id)
        problem = {
            "type": "about:blank",
            "title": "Precondition Failed",
            "status": 412,
            "detail": f"The page has changed since the version this write is based on: its latest revision is "
            f"{exc.revision_id or 0} ({current}). Read it again, apply the change to it and retry with its ETag.",
            "current_revision": exc.revision_id,
            "current_etag": current,
        }
        response = HttpResponse(json.dumps(problem), status=412, content_type="application/problem+json")
        response["ETag"] = current
        return response
