"""The record kinds table (kinds.KINDS) agrees with the models it describes."""

import pytest
from django.core.exceptions import FieldDoesNotExist

from tutti.participation.forms import record_form
from tutti.participation.kinds import KINDS, MODELS, SchoolRule, kind_of
from tutti.participation.spreadsheet import SHEETS
from tutti.provision.models import CoreRole


def _has_field(model, name):
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_each_kind_names_fields_its_model_has(kind):
    for name in (*kind.form_fields, *kind.figure_fields):
        assert _has_field(kind.model, name), name
    for column in kind.sheet.columns:
        assert column.kind == "info" or _has_field(kind.model, column.field), column.field
        assert not column.within or _has_field(kind.model, column.within)
    assert kind.names_school == _has_field(kind.model, "school")
    if kind.names_school:
        required = not kind.model._meta.get_field("school").null
        assert required == (kind.school == SchoolRule.REQUIRED)
    assert not kind.core_role or kind.core_role in CoreRole.values
    assert kind_of(kind.model()) is kind
    assert MODELS[kind.key] is kind.model


def test_keys_models_and_sheet_titles_are_each_used_once():
    assert len({k.model for k in KINDS.values()}) == len(KINDS)
    titles = [s.title for s in SHEETS]
    assert len(set(titles)) == len(titles) == len(KINDS)


@pytest.mark.parametrize("key", ["wcet", "tuition", "loans"])
def test_the_form_asks_for_a_urn_only_where_a_record_names_a_school(key):
    kind = KINDS[key]
    form = record_form(kind)(hub=None, record_kind=kind, partners=None, years=[2025])
    assert ("urn" in form.fields) == kind.names_school
    if kind.names_school:
        assert form.fields["urn"].required == (kind.school == SchoolRule.REQUIRED)
        assert form.fields["urn"].help_text == kind.urn_help
    assert list(form.fields)[-len(kind.form_fields) :] == list(kind.form_fields)
