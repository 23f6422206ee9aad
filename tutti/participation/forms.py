from typing import Any, cast

from django import forms
from django.forms import modelform_factory
from django.utils import timezone

from tutti.core.uploads import LimitedFileField
from tutti.core.years import year_label
from tutti.directory.models import Hub
from tutti.participation.kinds import RecordKind, SchoolRule
from tutti.participation.selectors import area_school

# As the reader's own limit (spreadsheet.MAX_BYTES), checked before the file is read.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class RecordFormBase(forms.ModelForm):
    """Fields common to every record: the year, the delivering partner and the school."""

    def __init__(
        self,
        *args: Any,
        hub: Hub,
        record_kind: RecordKind,
        partners: Any,
        years: list[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.hub, self.record_kind = hub, record_kind
        self.fields = {
            "year": forms.TypedChoiceField(
                label="Academic year",
                coerce=int,
                choices=[(y, year_label(y)) for y in years],
                initial=years[1] if len(years) > 1 else years[0],
            ),
            "partner": forms.ModelChoiceField(
                label="Delivering partner", queryset=partners, empty_label=None
            ),
            **self.fields,
        }
        if record_kind.names_school:
            self.fields = {
                **dict(list(self.fields.items())[:2]),
                "urn": forms.IntegerField(
                    label="School URN",
                    required=record_kind.school == SchoolRule.REQUIRED,
                    min_value=1,
                    help_text=record_kind.urn_help,
                ),
                **dict(list(self.fields.items())[2:]),
            }

    def clean_urn(self) -> Any:
        urn = self.cleaned_data.get("urn")
        if urn is None:
            return None
        school = area_school(hub=self.hub, urn=urn)
        if school is None:
            raise forms.ValidationError(f"There is no school with URN {urn} in this hub's area.")
        return school

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        no_place = not cleaned.get("urn") and not cleaned.get("centre")
        if self.record_kind.school_or_centre and no_place and "urn" not in self.errors:
            self.add_error("centre", "Give the school's URN or the centre's name.")
        return cleaned


def record_form(record_kind: RecordKind) -> type[RecordFormBase]:
    # modelform_factory returns a subclass of ``form``, which its stub does not say.
    return cast(
        type[RecordFormBase],
        modelform_factory(
            record_kind.model, form=RecordFormBase, fields=list(record_kind.form_fields)
        ),
    )


def _choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """One of the form's choice fields, as such: ``form.fields`` holds them as plain fields."""
    return cast(forms.ChoiceField, form.fields[name])


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Academic year", coerce=int, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "year").choices = [(y, year_label(y)) for y in years]


class CollectionForm(forms.Form):
    year = forms.TypedChoiceField(label="Academic year", coerce=int)
    deadline = forms.DateField(
        help_text="The day partners should send their return by.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "year").choices = [(y, year_label(y)) for y in years]
        self.fields["year"].initial = years[0]

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError("The deadline cannot be in the past.")
        return deadline


class UploadForm(forms.Form):
    file = LimitedFileField(
        max_bytes=MAX_UPLOAD_BYTES,
        label="Your filled-in spreadsheet",
        help_text="The Excel file (.xlsx) downloaded from this page, filled in.",
    )


class PublicationForm(forms.Form):
    """Which of a year's figures the public impact page shows."""

    figures = forms.MultipleChoiceField(
        label="Figures to publish",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Each shows with how it is counted, and its trend over the years you have "
        "published.",
    )
    show_reach = forms.BooleanField(
        label="Also show the schools reached, by local authority, cluster and school phase",
        required=False,
    )

    def __init__(self, *args: Any, values: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "figures").choices = [
            (
                key,
                f"{v.figure.label}: {v.value:,}{'%' if v.figure.percent else ''}",
            )
            for key, v in values.items()
        ]

    def clean_figures(self) -> list[str]:
        figures = self.cleaned_data["figures"]
        if not figures:
            raise forms.ValidationError("Choose at least one figure to publish.")
        return figures
