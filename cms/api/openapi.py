"""The OpenAPI document of /api/v3/, made valid: what `openapi-spec-validator` and Redocly's linter ask for.

Django Ninja 1.7 and Wagtail 8.0.1 generate a document with faults that are theirs, not the endpoints'
(docs/api.md, "Known upstream issues"); `install` wraps the API's document generator so that every copy
of the document (openapi.json, the docs page, schemathesis) comes out corrected:

- Ninja copies a JSON Schema `examples` list onto the parameter object, where OpenAPI wants a map of
  Example objects: the list moves back into the parameter's schema, where it is valid.
- Ninja keys its responses by integer status and `openapi_extra` by string status, so one status can be
  written twice (a duplicated "200" key in the JSON): each status becomes one string key, merged.
- Wagtail's `AllowAnonymous` (optional authentication) is declared as an HTTP security scheme with no
  `scheme`: a requirement naming it becomes the empty requirement `{}`, OpenAPI's "no credentials needed".
  Verity's `TokenAuth` is the same bearer scheme as Wagtail's `BearerTokenAuth` and is named so.
- Operations without authentication declare none, so a reader cannot tell public from forgotten: they
  get `security: [{}]` (public) explicitly.
- `servers` names the site's one public address (cms/site/address.py).
- Components that nothing refers to are dropped.
"""

from functools import wraps

from cms.site.address import public_url

BEARER = "BearerTokenAuth"
# Security schemes that are one bearer token scheme under another name, and ones that mean "anonymous".
SCHEME_ALIASES = {"TokenAuth": BEARER}
ANONYMOUS_SCHEMES = frozenset({"AllowAnonymous"})
PUBLIC = [{}]
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def install(api):
    """Correct every document `api` generates (an instance attribute: Ninja's views call it by name)."""
    generate = api.get_openapi_schema
    if getattr(generate, "verity_corrected", False):
        return

    @wraps(generate)
    def corrected(*args, **kwargs):
        return correct(generate(*args, **kwargs))

    corrected.verity_corrected = True
    api.get_openapi_schema = corrected


def correct(document):
    document = plain(document)
    for operation in operations(document):
        for parameter in operation.get("parameters", []):
            move_examples_into_schema(parameter)
        operation["security"] = requirements(operation.get("security"))
    schemes = document.setdefault("components", {}).get("securitySchemes", {})
    for name in [*SCHEME_ALIASES, *ANONYMOUS_SCHEMES]:
        schemes.pop(name, None)
    document["servers"] = [{"url": public_url(), "description": "The site's public address."}]
    drop_unused_components(document)
    return document


def operations(document):
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            if method in HTTP_METHODS:
                yield operation


def plain(node):
    """A JSON-ready copy: string keys, an integer key and its string twin merged (200 and "200"), lazy
    translation strings as text."""
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            value = plain(value)
            key = str(key)
            if isinstance(result.get(key), dict) and isinstance(value, dict):
                deep_merge(result[key], value)
            else:
                result[key] = value
        return result
    if isinstance(node, list | tuple):
        return [plain(value) for value in node]
    if node is None or isinstance(node, bool | int | float | str):
        return node
    return str(node)


def deep_merge(target, update):
    for key, value in update.items():
        if isinstance(target.get(key), dict) and isinstance(value, dict):
            deep_merge(target[key], value)
        else:
            target[key] = value


def move_examples_into_schema(parameter):
    examples = parameter.get("examples")
    if isinstance(examples, list):
        del parameter["examples"]
        parameter.setdefault("schema", {}).setdefault("examples", examples)


def requirements(security):
    """The operation's security requirements, bearer aliases renamed, "anonymous" as `{}`; public if none."""
    if not security:
        return list(PUBLIC)
    result = []
    for requirement in security:
        requirement = {
            SCHEME_ALIASES.get(name, name): scopes
            for name, scopes in requirement.items()
            if name not in ANONYMOUS_SCHEMES
        }
        if requirement not in result:
            result.append(requirement)
    return result


def references(node):
    """Every `$ref` under node."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def drop_unused_components(document):
    """Keep the components reachable from the paths (and security schemes the operations name)."""
    components = document.get("components", {})
    reachable = set()
    pending = list(references(document.get("paths", {})))
    while pending:
        ref = pending.pop()
        if ref in reachable or not ref.startswith("#/components/"):
            continue
        reachable.add(ref)
        _, _, kind, name = ref.split("/", 3)
        pending.extend(references(components.get(kind, {}).get(name, {})))
    for kind, entries in components.items():
        if kind == "securitySchemes":
            used = {name for operation in operations(document) for req in operation["security"] for name in req}
            keep = used
        else:
            keep = {ref.split("/", 3)[3] for ref in reachable if ref.split("/", 3)[2] == kind}
        for name in list(entries):
            if name not in keep:
                del entries[name]
    for kind in [kind for kind, entries in components.items() if not entries]:
        del components[kind]
