"""The text rule (issue 10, item 1): every form field and every API string refuses control
characters, with a message naming the field; multi-line fields keep tab and line breaks.

The form and API tests walk every Form subclass and every request body in the OpenAPI schema,
so a form or an operation added later is checked without anyone remembering to.
"""

import importlib
import json
import pkgutil
import re

import pytest
from django import forms

import tutti
from config.api import api
from tutti.clusters.models import Cluster

BELL, VTAB = "\x07", "\x0b"


def test_the_rule():
    from tutti.core.text import forbidden_character

    assert forbidden_character("Bell Ringer", multiline=False) is None
    assert forbidden_character(f"Bell{BELL} Ringer", multiline=False) == BELL
    assert forbidden_character("two\nlines", multiline=False) == "\n"
    assert forbidden_character("two\r\nlines\tand a tab", multiline=True) is None
    for char in ("\x00", VTAB, "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\ud800", "\uffff"):
        assert forbidden_character(f"a{char}b", multiline=True) == char
    # Ordinary text from anywhere in the world is fine.
    assert forbidden_character("Café Noël \u2013 Ærø, 日本, 🎻", multiline=False) is None


# Forms ---------------------------------------------------------------------------------------


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(tutti.__path__, "tutti."):
        if not re.search(r"\.(tests|migrations|management)(\.|$)", module.name):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found.append(cls)
    return [f for f in found if getattr(f, "base_fields", None)]


def _text_fields():
    for form in _all_forms():
        for name, field in form.base_fields.items():
            # A JSONField is a CharField that parses its JSON first (allauth's passkey forms,
            # which Tutti does not offer): structure, not typed text.
            if isinstance(field, forms.CharField) and not isinstance(field, forms.JSONField):
                yield form, name, field


def _sample(field: forms.Field, char: str) -> str:
    if isinstance(field, forms.EmailField):
        return f"jo{char}@example.org"
    if isinstance(field, forms.URLField):
        return f"https://example.org/{char}x"
    return f"Bell{char} Ringer"


def test_every_text_field_of_every_form_refuses_control_characters():
    checked, ours = 0, 0
    for form, name, field in _text_fields():
        for char in (BELL, VTAB, "\x1b", "\x85"):
            with pytest.raises(forms.ValidationError) as refused:
                field.clean(_sample(field, char))
            assert refused.value.error_list[0].code == "control_character", (form, name)
        with pytest.raises(forms.ValidationError, match="Null characters are not allowed"):
            field.clean(_sample(field, "\x00"))
        multiline = isinstance(field.widget, forms.Textarea)
        if multiline:
            assert "\n" in field.clean("two\r\nlines\tand a tab")
        else:
            with pytest.raises(forms.ValidationError):
                field.clean(_sample(field, "\n"))
        checked += 1
        ours += form.__module__.startswith("tutti.")
    # Tutti's own forms and the libraries' (allauth's sign-in, for one) are all covered.
    assert ours >= 20
    assert checked > ours


def test_a_form_field_built_when_the_form_is_made_is_covered_too():
    field = forms.CharField()
    with pytest.raises(forms.ValidationError, match="U\\+0007"):
        field.clean(f"Bell{BELL}")
    field.widget = forms.Textarea()
    assert field.clean("a\nb") == "a\nb"


def test_the_page_names_the_field_and_saves_nothing(client_for, world):
    response = client_for("staff").post(
        "/wiltshire/manage/clusters/new/",
        {"name": f"Marl{VTAB}borough", "area": "x", "description": "", "contact_email": ""},
    )
    assert response.status_code == 400 or response.context["form"].errors
    text = " ".join(response.content.decode().split())
    assert "There is a problem" in text
    assert "Name: This contains an invisible control character (U+000B)" in text
    assert not Cluster.objects.filter(name__startswith="Marl").exists()


def test_line_breaks_are_kept_where_a_field_takes_several_lines(client_for, world):
    response = client_for("staff").post(
        "/wiltshire/manage/clusters/new/",
        {"name": "Marlborough", "area": "x", "description": "One.\r\nTwo.", "contact_email": ""},
    )
    assert response.status_code == 302
    assert Cluster.objects.get(name="Marlborough").description.splitlines() == ["One.", "Two."]


def test_check_text_message_for_a_line_break():
    from tutti.core.text import check_text

    with pytest.raises(forms.ValidationError) as refused:
        check_text("a\nb", multiline=False)
    assert "keep it on one line" in refused.value.messages[0]


# The API -------------------------------------------------------------------------------------


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "allOf", "oneOf"):
        for option in schema.get(key, []):
            option = _resolve(option, spec)
            if option.get("type") not in (None, "null"):
                return option
    return schema


def _string_fields(schema: dict, spec: dict, path: tuple = ()):
    """Each string in a body: its path, and a body holding ``value`` there."""
    schema = _resolve(schema, spec)
    kind = schema.get("type")
    if (
        kind == "string"
        and "enum" not in schema
        and schema.get("format")
        not in {
            "date-time",
            "date",
            "time",
            "uuid",
        }
    ):
        yield path
    elif kind == "object":
        for name, prop in schema.get("properties", {}).items():
            yield from _string_fields(prop, spec, (*path, name))
    elif kind == "array":
        yield from _string_fields(schema.get("items", {}), spec, (*path, 0))


def _body(path: tuple, value: str):
    for step in reversed(path):
        value = [value] if isinstance(step, int) else {step: value}
    return value


def _api_text_fields():
    spec = api.get_openapi_schema()
    for url, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            concrete = re.sub(r"\{hub_slug\}", "wiltshire", url)
            concrete = re.sub(r"\{[^}]+\}", "1", concrete)
            for path in _string_fields(content["application/json"]["schema"], spec):
                yield method.upper(), concrete, path


def test_every_string_in_every_api_request_body_refuses_control_characters(client_for, world):
    from tutti.core.text import multiline_names

    client = client_for("admin")
    checked = 0
    for method, url, path in _api_text_fields():
        field = ".".join(str(p) for p in path)
        name = next(p for p in reversed(path) if isinstance(p, str))
        for char in ("\x00", BELL, VTAB, "\x85", "\ud800"):
            body = json.dumps(_body(path, f"Bell{char} Ringer"))
            response = client.generic(method, url, data=body, content_type="application/json")
            assert response.status_code == 422, (method, url, field, char)
            assert response.json()["errors"][0]["field"] == field, (method, url, field)
            assert "U+" in response.json()["detail"]
        body = json.dumps(_body(path, "two\nlines"))
        response = client.generic(method, url, data=body, content_type="application/json")
        refused = response.status_code == 422 and response.json()["errors"][0]["field"] == field
        assert refused is (name not in multiline_names()), (method, url, field)
        checked += 1
    assert checked >= 30


def test_query_strings_refuse_control_characters_and_line_breaks(client_for, world):
    for value in (f"Devizes{BELL}", "Devizes\narea"):
        response = client_for("staff").get("/api/hubs/wiltshire/organisations", {"q": value})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "q"
