"""What an editor's browser posts from a Wagtail admin form, read from the rendered page.

Wagtail renders plain fields as HTML inputs, but a StreamField as a block definition and a value in
data attributes, from which its JavaScript builds the inputs; the comments formset from a JSON script;
rich text as Draftail's content, which Draftail posts as "null" when empty; and the scheduling fields
in a <template> its JavaScript moves into the form. `form_data` reads them all as the browser submits
them, so a test posts an edit form back with only the changes an editor makes. `block_errors` and
`field_errors` read the errors the re-rendered form shows on each field.
"""

import json
import uuid

from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from wagtail.test.utils.form_data import nested_form_data

# --- Reading the rendered form ----------------------------------------------------------------------------


def admin_form(response, button):
    """The form holding the submit button labelled `button` ("Save draft", "Publish", "Save" ...)."""
    assert response.status_code == 200, f"the form answered {response.status_code}"
    soup = BeautifulSoup(response.content, "html.parser")
    for form in soup.find_all("form"):
        if find_button(form, button) is not None:
            return form
    raise AssertionError(f"no form with a {button!r} button")


def find_button(form, label):
    for button in form.find_all("button", type="submit"):
        if submitted_with(button, form) and " ".join(button.get_text().split()) == label:
            return button
    return None


def submitted_with(element, form):
    """Whether the browser submits `element` with `form`.

    Browsers submit nothing inside a <template> (Wagtail keeps blank inline forms there), except what
    Wagtail's w-teleport controller moves into the form on load (the scheduling dialog's fields).
    """
    root = form
    while root.parent is not None:
        root = root.parent
    for template in element.find_parents("template"):
        if "w-teleport" not in template.get("data-controller", "").split():
            return False
        target = template.get("data-w-teleport-target-value")
        if not target or root.select_one(target) is not form:
            return False
    return True


def form_data(response, button="Save draft"):
    """Everything the rendered form submits when the editor clicks `button`, as {name: value or [values]}."""
    form = admin_form(response, button)
    data = {}

    def put(name, value):
        if name in data:
            existing = data[name] if isinstance(data[name], list) else [data[name]]
            data[name] = [*existing, value]
        else:
            data[name] = value

    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name or not submitted_with(element, form) or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            # HTML drops the one newline that may follow <textarea>.
            text = element.get_text()
            put(name, text[1:] if text.startswith("\n") else text)
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [option for option in options if option.has_attr("selected")]
            if not chosen and options and not element.has_attr("multiple"):
                chosen = options[:1]
            for option in chosen:
                put(name, option.get("value", option.get_text()))
        elif element.get("type") in ("checkbox", "radio"):
            if element.has_attr("checked"):
                put(name, element.get("value", "on"))
        elif element.has_attr("data-draftail-input"):
            put(name, draftail_value(element.get("value") or None))
        elif element.get("type") not in ("submit", "button", "reset", "file", "image"):
            put(name, element.get("value", ""))
    for element in form.find_all(attrs={"data-controller": "w-block"}):
        if not submitted_with(element, form):
            continue
        definition = unpack(json.loads(element["data-w-block-data-value"]))
        state, _errors = json.loads(element["data-w-block-arguments-value"])
        data.update(block_data(definition, element["id"], state))
    data.update(comments_data(form))
    clicked = find_button(form, button)
    if clicked.get("name"):
        data[clicked["name"]] = clicked.get("value", "")
    return data


def comments_data(form):
    """The comments formset, as Wagtail's comments app writes it into the form (no comments yet)."""
    script = form.find("script", id="comments-data")
    if script is None:
        return {}
    comments = json.loads(script.string)["comments"]
    assert not comments, "form_data reads forms without comments only"
    management = {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": ""}
    return {f"comments-{name}": value for name, value in management.items()}


# --- StreamField: the block definition and value Wagtail's JavaScript turns into inputs -----------------


def unpack(packed):
    """Telepath's packed JSON as plain objects: {"_type", "_args"} for constructors, references resolved."""
    seen = {}

    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "_ref" in node:
            return seen[node["_ref"]]
        if "_type" in node:
            result = {"_type": node["_type"], "_args": walk(node["_args"])}
        elif "_dict" in node:
            result = {key: walk(value) for key, value in node["_dict"].items()}
        elif "_list" in node:
            result = walk(node["_list"])
        elif "_val" in node:
            result = node["_val"]
        else:
            result = {key: walk(value) for key, value in node.items()}
        if "_id" in node:
            seen[node["_id"]] = result
        return result

    return walk(packed)


def block_data(definition, prefix, state):
    """The inputs Wagtail's block JavaScript renders for `state` under `prefix`, with their values."""
    kind, args = definition["_type"], definition["_args"]
    if kind == "wagtail.blocks.StreamBlock":
        children = {child["_args"][0]: child for _group, group in args[1] for child in group}
        data = {f"{prefix}-count": str(len(state))}
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data |= {f"{child_prefix}-type": child["type"], f"{child_prefix}-deleted": ""}
            data |= {f"{child_prefix}-order": str(index), f"{child_prefix}-id": child["id"] or ""}
            data |= block_data(children[child["type"]], f"{child_prefix}-value", child["value"])
        return data
    if kind == "wagtail.blocks.ListBlock":
        data = {f"{prefix}-count": str(len(state))}
        for index, child in enumerate(state):
            child_prefix = f"{prefix}-{index}"
            data |= {f"{child_prefix}-deleted": "", f"{child_prefix}-order": str(index)}
            data |= {f"{child_prefix}-id": child["id"] or ""}
            data |= block_data(args[1], f"{child_prefix}-value", child["value"])
        return data
    if kind in ("wagtail.blocks.StructBlock", "wagtail.images.blocks.ImageBlock"):
        data = {}
        for child in args[1]:
            name = child["_args"][0]
            data |= block_data(child, f"{prefix}-{name}", state[name])
        return data
    if kind == "wagtail.blocks.StaticBlock":
        return {}
    if kind == "wagtail.blocks.FieldBlock":
        return widget_data(args[1], prefix, state)
    raise AssertionError(f"form_data cannot read a {kind} yet")


def widget_data(widget, name, state):
    kind = widget["_type"]
    if kind == "wagtail.widgets.CheckboxInput":
        return {name: "on"} if state else {}
    if kind == "wagtail.widgets.Select":
        if not state:  # a browser's single select falls back to its first option
            select = BeautifulSoup(widget["_args"][0], "html.parser").find("select")
            first = None if select.has_attr("multiple") else select.find("option")
            return {name: first.get("value", first.get_text())} if first else {}
        return {name: state[0] if len(state) == 1 else state}
    if kind.endswith("Chooser"):
        return {name: str(state["id"]) if state else ""}
    if kind == "wagtail.widgets.DraftailRichTextArea":
        return {name: draftail_value(state)}
    if kind == "wagtail.widgets.Widget":
        return {name: "" if state is None else str(state)}
    raise AssertionError(f"form_data cannot read a {kind} widget yet")


def draftail_value(state):
    """What Draftail posts: its content as rendered, or "null" when every paragraph is blank."""
    if state is None:
        return "null"
    blocks = json.loads(state)["blocks"]
    blank = all(
        not block["text"].strip() and not block.get("entityRanges") and not block.get("inlineStyleRanges")
        for block in blocks
    )
    return "null" if blank else state


# --- Changing what the form posts ------------------------------------------------------------------------------


def replace(data, **fields):
    """`data` with each named field (a StreamField, a formset ...) replaced by new nested form data."""
    kept = {key: value for key, value in data.items() if not any(key.split("-")[0] == name for name in fields)}
    return kept | nested_form_data(fields)


def listblock(values):
    """A ListBlock's form data, as Wagtail's JavaScript posts it (Wagtail's helpers have none)."""
    data = {
        str(i): {"value": value, "deleted": "", "order": str(i), "id": str(uuid.uuid4())}
        for i, value in enumerate(values)
    }
    return {"count": str(len(values)), **data}


# --- The errors the re-rendered form shows --------------------------------------------------------------------


def block_errors(response, field_name):
    """The errors the re-rendered form hands a StreamField's JavaScript, as Wagtail renders them."""
    soup = BeautifulSoup(response.content, "html.parser")
    element = soup.find(attrs={"data-controller": "w-block", "id": field_name})
    assert element is not None, f"no StreamField {field_name!r} in the page"
    _state, errors = json.loads(element["data-w-block-arguments-value"])
    return errors


def shown_messages(response):
    """The messages the admin shows after this request, as text (Wagtail's may hold buttons' HTML)."""
    texts = (
        BeautifulSoup(str(message), "html.parser").get_text(" ") for message in get_messages(response.wsgi_request)
    )
    return [" ".join(text.split()) for text in texts]


def field_errors(response, field_name):
    """The error messages the re-rendered form shows beside the plain field named `field_name`."""
    soup = BeautifulSoup(response.content, "html.parser")
    element = soup.find(["input", "select", "textarea"], attrs={"name": field_name})
    assert element is not None, f"no field {field_name!r} in the page"
    field = element.find_parent(attrs={"data-field": True})
    errors = field.find(attrs={"data-field-errors": True})
    return [" ".join(p.get_text().split()) for p in errors.find_all(class_="error-message")]


def assert_saved(response, message):
    """Saved: the redirect after a save, with Wagtail's success message."""
    assert response.status_code == 302, response.context and response.context["form"].errors
    [shown] = shown_messages(response)
    assert shown.startswith(message), shown


def assert_form_refused(response):
    """The form again, with Wagtail's message that it could not be saved (pages and snippets word it apart)."""
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    refusals = [text for text in shown_messages(response) if "validation errors" in text or "could not be" in text]
    assert refusals, shown_messages(response)


def assert_refused_on_field(response, field, message):
    """The form again, with the message beside that field only, as the editor's page shows it."""
    assert_form_refused(response)
    assert response.context["form"].errors == {field: [message]}
    assert field_errors(response, field) == [message]
