"""The pages' forms: input rules and messages. The rules of the domain are in services.py."""

from typing import Any

from django import forms

from tutti.core.uploads import LimitedFileField
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.programmes.models import (
    MeasureKind,
    OutcomeMeasure,
    Point,
    ProgrammeStatus,
    Pupil,
    ReferralReason,
    SiteRole,
)

YEAR_GROUPS = [(0, "Reception"), *[(n, f"Year {n}") for n in range(1, 7)]]
RESOURCE_MAX_BYTES = 20 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="Name of the programme", max_length=200)
    lead_hub = forms.ModelChoiceField(
        label="Led from the hub",
        queryset=Hub.objects.none(),
        empty_label=None,
        help_text="Its What's On holds the programme's training days.",
    )
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation", queryset=Organisation.objects.none(), required=False
    )
    funder = forms.CharField(max_length=200, required=False)
    aims = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    starts_on = forms.DateField(label="Starts on", widget=DateInput)
    ends_on = forms.DateField(label="Ends on", widget=DateInput)
    min_group = forms.IntegerField(label="Smallest group", min_value=1, max_value=30, initial=3)
    max_group = forms.IntegerField(label="Largest group", min_value=1, max_value=30, initial=5)
    retention_months = forms.IntegerField(
        label="Months to keep pupils' data after the end",
        min_value=1,
        max_value=120,
        initial=12,
        help_text="Then each pupil's record is erased; the aggregated outcomes are kept.",
    )

    def __init__(self, *args: Any, hubs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_hub"].queryset = hubs  # type: ignore[attr-defined]
        self.fields["lead_organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind=OrganisationKind.SCHOOL
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "Choose an end date after the start date.")
        if (
            data.get("min_group")
            and data.get("max_group")
            and data["max_group"] < data["min_group"]
        ):
            self.add_error("max_group", "The largest group cannot be smaller than the smallest.")
        return data


class ProgrammeEditForm(forms.Form):
    name = forms.CharField(label="Name of the programme", max_length=200)
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation", queryset=Organisation.objects.none(), required=False
    )
    funder = forms.CharField(max_length=200, required=False)
    aims = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    status = forms.ChoiceField(choices=ProgrammeStatus.choices)
    starts_on = forms.DateField(label="Starts on", widget=DateInput)
    ends_on = forms.DateField(label="Ends on", widget=DateInput)
    min_group = forms.IntegerField(label="Smallest group", min_value=1, max_value=30)
    max_group = forms.IntegerField(label="Largest group", min_value=1, max_value=30)
    retention_months = forms.IntegerField(
        label="Months to keep pupils' data after the end", min_value=1, max_value=120
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind=OrganisationKind.SCHOOL
        ).order_by("name")


class SiteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Music service or hub delivering it", queryset=Organisation.objects.none()
    )
    school_urn = forms.IntegerField(
        label="School's URN",
        min_value=100000,
        max_value=999999,
        help_text="The school's unique reference number in the national register (6 digits).",
    )
    senco_name = forms.CharField(label="SENCo's name", max_length=150, required=False)
    senco_email = forms.EmailField(label="SENCo's email address", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            kind=OrganisationKind.SCHOOL
        ).order_by("name")

    def clean_school_urn(self) -> Organisation:
        urn = self.cleaned_data["school_urn"]
        school = Organisation.objects.filter(urn=urn, kind=OrganisationKind.SCHOOL).first()
        if school is None:
            raise forms.ValidationError(
                "There is no school with that URN in the register. Check the number."
            )
        return school


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=SiteRole.choices, initial=SiteRole.TUTOR)


class LeadInviteForm(forms.Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)


class AcceptForm(forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    password = forms.CharField(label="Choose a password", widget=forms.PasswordInput)
    password_again = forms.CharField(label="Type the password again", widget=forms.PasswordInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords are not the same.")
        return data


class PupilForm(forms.Form):
    name = forms.CharField(
        label="First name or initials",
        max_length=30,
        help_text="No surname: a first name such as “Sam”, or initials such as “S.B.”.",
    )
    year_group = forms.TypedChoiceField(label="Year group", choices=YEAR_GROUPS, coerce=int)
    reasons = forms.MultipleChoiceField(
        label="Reasons for referral",
        choices=ReferralReason.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_on = forms.DateField(
        label="Date a parent or carer consented",
        widget=DateInput,
        help_text="A pupil cannot join the group without it.",
        error_messages={
            "required": (
                "Give the date a parent or carer consented: a pupil cannot join without it."
            )
        },
    )


class PlanForm(forms.Form):
    first_on = forms.DateField(label="Date of the first session", widget=DateInput)
    weeks = forms.IntegerField(label="Number of weekly sessions", min_value=1, max_value=60)
    minutes = forms.IntegerField(label="Length in minutes", min_value=5, max_value=480, initial=45)


class AttendanceForm(forms.Form):
    note = forms.CharField(
        label="Session note", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, pupils: list[Pupil], marks: dict[int, bool], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pupils = pupils
        for pupil in pupils:
            self.fields[f"present_{pupil.pk}"] = forms.BooleanField(
                label=f"{pupil.name} was there", required=False, initial=marks.get(pupil.pk, False)
            )
        self.order_fields([f"present_{p.pk}" for p in pupils] + ["note"])

    def present(self) -> dict[int, bool]:
        return {p.pk: bool(self.cleaned_data.get(f"present_{p.pk}")) for p in self.pupils}


class ScoresForm(forms.Form):
    point = forms.ChoiceField(label="When", choices=Point.choices)

    def __init__(self, *args: Any, measures: list[OutcomeMeasure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        for m in measures:
            if m.kind == MeasureKind.COUNT:
                self.fields[f"measure_{m.pk}"] = forms.IntegerField(
                    label=m.name,
                    required=False,
                    min_value=m.low,
                    max_value=m.high,
                    help_text="At the start: the term before. At the end: the term after.",
                )
            else:
                self.fields[f"measure_{m.pk}"] = forms.TypedChoiceField(
                    label=f"{m.name} ({m.low} to {m.high})",
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[("", "Not scored"), *[(n, str(n)) for n in range(m.low, m.high + 1)]],
                )

    def values(self) -> dict[int, int | None]:
        return {m.pk: self.cleaned_data.get(f"measure_{m.pk}") for m in self.measures}


class MeasureForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For example: Self-esteem.")
    kind = forms.ChoiceField(label="Kind of measure", choices=MeasureKind.choices)
    low = forms.IntegerField(label="Lowest value", min_value=0, max_value=99, initial=1)
    high = forms.IntegerField(label="Highest value", min_value=1, max_value=99, initial=5)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and high <= low:
            self.add_error("high", "The highest value must be above the lowest.")
        return data


class ReflectionForm(forms.Form):
    date = forms.DateField(widget=DateInput)
    text = forms.CharField(label="Your reflection", widget=forms.Textarea(attrs={"rows": 5}))


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    link = forms.URLField(required=False, assume_scheme="https")
    file = LimitedFileField(max_bytes=RESOURCE_MAX_BYTES, required=False)


class PublishForm(forms.Form):
    narrative = forms.CharField(
        label="What the programme found",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown on the public page above the figures. Name no pupil.",
    )
