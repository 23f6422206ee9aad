"""The pages' forms: input rules and messages. The rules of the competition are in services."""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from tutti.competitions.models import Category, Competition, ConflictReason, Criterion
from tutti.competitions.services import COMPETITION_FIELDS, EntrantDetails, PieceSpec
from tutti.directory.models import Organisation, OrganisationKind
from tutti.events.forms import DateInput, TimeInput

EARLIEST_BIRTH = date(1990, 1, 1)
PIECES = 3
URN = re.compile(r"(?:URN\s*)?(\d{5,7})\)?\s*$", re.IGNORECASE)


def school_label(school: Organisation) -> str:
    """How a school is offered in the list, and read back: "Name, Town (URN 123456)"."""
    town = f", {school.town}" if school.town else ""
    return f"{school.name}{town} (URN {school.urn})"


def find_school(text: str) -> Organisation | None:
    """The register's school for what was typed or picked: its label, its URN, or its name."""
    text = text.strip()
    if not text:
        return None
    schools = Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
    match = URN.search(text)
    if match:
        school = schools.filter(urn=int(match.group(1))).first()
        if school is None:
            raise forms.ValidationError(
                "No school in the national register has that URN. Pick the school from the list."
            )
        return school
    named = list(schools.filter(name__iexact=text)[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise forms.ValidationError(
            "Several schools have this name. Pick the right one from the list, with its town."
        )
    raise forms.ValidationError(
        "We cannot find this school in the national register. Pick it from the list as you "
        "type, or tick “home-educated”."
    )


class EntryForm(forms.Form):
    """One form for the whole entry: the entrant, the pieces, the contact and the consents."""

    first_name = forms.CharField(label="Entrant's first name", max_length=100)
    last_name = forms.CharField(label="Entrant's last name", max_length=100)
    date_of_birth = forms.DateField(
        label="Entrant's date of birth",
        widget=DateInput,
        help_text="Needed only to check the age bands; judges never see it.",
    )
    category = forms.ModelChoiceField(
        label="Category", queryset=Category.objects.none(), empty_label="Choose a category"
    )
    school = forms.CharField(
        label="School",
        error_messages={"required": "Pick the entrant's school, or tick “home-educated”."},
        max_length=300,
        help_text="Start typing the school's name and pick it from the list. Leave it empty "
        "if the entrant is home-educated.",
        widget=forms.TextInput(attrs={"list": "schools", "autocomplete": "off"}),
    )
    home_educated = forms.BooleanField(label="The entrant is home-educated", required=False)
    lives_in_area = forms.BooleanField(label="The entrant lives in the hub's area", required=False)
    teacher = forms.CharField(label="Music teacher", required=False, max_length=200)
    accompanist = forms.CharField(label="Accompanist", required=False, max_length=200)
    contact_name = forms.CharField(label="Your name", max_length=200)
    contact_email = forms.EmailField(
        label="Your email address", help_text="We send the confirmation and your link here."
    )
    entered_by_self = forms.BooleanField(
        label="I am the entrant, aged 18 or over, entering myself", required=False
    )
    consent_judged = forms.BooleanField(
        label="I agree to the entry and its video being seen and judged by the adjudicators and "
        "the hub's competition staff (required)",
        required=True,
        error_messages={"required": "Tick the consent to enter and be judged: we need it."},
    )
    consent_public = forms.BooleanField(
        label="If the entrant reaches the final or wins, their name and video may be shown "
        "publicly (optional)",
        required=False,
    )
    consent_filming = forms.BooleanField(
        label="The entrant may be photographed or filmed at the final (optional)", required=False
    )

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competition = competition
        self.fields["category"].queryset = competition.categories.all()  # type: ignore[attr-defined]
        if self.data.get("home_educated"):
            self.fields["school"].required = False
        self.fields["lives_in_area"].label = f"The entrant lives in {competition.hub.name}'s area"
        for n in range(1, PIECES + 1):
            optional = n > 1
            self.fields[f"piece_{n}_title"] = forms.CharField(
                label=f"Piece {n}: title", max_length=200, required=not optional
            )
            self.fields[f"piece_{n}_composer"] = forms.CharField(
                label=f"Piece {n}: composer", max_length=200, required=False
            )
            self.fields[f"piece_{n}_minutes"] = forms.IntegerField(
                label=f"Piece {n}: length in minutes", min_value=1, max_value=60, required=False
            )
        # Pieces after the entrant's details, before the contact and consents.
        order = [
            "first_name",
            "last_name",
            "date_of_birth",
            "category",
            "school",
            "home_educated",
            "lives_in_area",
            "teacher",
            "accompanist",
            *[
                f"piece_{n}_{p}"
                for n in range(1, PIECES + 1)
                for p in ("title", "composer", "minutes")
            ],
            "contact_name",
            "contact_email",
            "entered_by_self",
            "consent_judged",
            "consent_public",
            "consent_filming",
        ]
        self.order_fields(order)

    def clean_date_of_birth(self) -> date:
        value: date = self.cleaned_data["date_of_birth"]
        if value < EARLIEST_BIRTH or value > timezone.localdate():
            raise forms.ValidationError("Give the entrant's real date of birth.")
        return value

    def clean_school(self) -> Organisation | None:
        return find_school(self.cleaned_data.get("school", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("home_educated") and data.get("school"):
            self.add_error("school", "Leave the school empty for a home-educated entrant.")
        elif (
            not data.get("home_educated") and not data.get("school") and "school" not in self.errors
        ):
            self.add_error("school", "Pick the entrant's school, or tick “home-educated”.")
        return data

    def details(self) -> EntrantDetails:
        d = self.cleaned_data
        return EntrantDetails(
            first_name=d["first_name"].strip(),
            last_name=d["last_name"].strip(),
            date_of_birth=d["date_of_birth"],
            category=d["category"],
            school=d.get("school"),
            home_educated=d.get("home_educated", False),
            lives_in_area=d.get("lives_in_area", False),
            entered_by_self=d.get("entered_by_self", False),
        )

    def pieces(self) -> list[PieceSpec]:
        d = self.cleaned_data
        return [
            PieceSpec(
                title=d[f"piece_{n}_title"],
                composer=d.get(f"piece_{n}_composer", ""),
                minutes=d.get(f"piece_{n}_minutes"),
            )
            for n in range(1, PIECES + 1)
            if d.get(f"piece_{n}_title")
        ]


class EntryChangeForm(EntryForm):
    """The family's changes: the contact and the consent to be judged stay as they were."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("contact_name", "contact_email", "entered_by_self", "consent_judged"):
            del self.fields[name]


class VideoForm(forms.Form):
    video = forms.FileField(
        label="Video file",
        help_text="An MP4, MOV or WebM file, as a phone or camera saves it.",
        error_messages={"required": "Choose the video file to upload."},
        widget=forms.ClearableFileInput(attrs={"accept": "video/*"}),
    )


class VideoLinkForm(forms.Form):
    link = forms.URLField(label="Link to the video", max_length=500, assume_scheme="https")


class CompetitionForm(forms.ModelForm):
    class Meta:
        model = Competition
        fields = list(COMPETITION_FIELDS)
        widgets = {
            "age_on": DateInput,
            "opens_on": DateInput,
            "closes_on": DateInput,
            "rules": forms.Textarea(attrs={"rows": 8}),
            "fee_remission": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"slug": "The end of the web address, e.g. young-musician-2026."}


class CategoryForm(forms.Form):
    name = forms.CharField(label="Category", max_length=100, help_text="e.g. Strings")
    min_age = forms.IntegerField(label="Youngest age", min_value=4, max_value=25)
    max_age = forms.IntegerField(label="Oldest age", min_value=4, max_value=25)


class CriterionForm(forms.Form):
    name = forms.CharField(label="Criterion", max_length=100, help_text="e.g. Musicality")
    weight = forms.IntegerField(label="Weight", min_value=1, max_value=10, initial=1)
    descriptor = forms.CharField(
        label="What a high mark looks like",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AdjudicatorForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    email = forms.EmailField(label="Email address")
    categories = forms.ModelMultipleChoiceField(
        label="Categories they judge",
        queryset=Category.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = competition.categories.all()  # type: ignore[attr-defined]


class AdjudicatorCategoriesForm(forms.Form):
    categories = forms.ModelMultipleChoiceField(
        label="Categories they judge",
        queryset=Category.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, competition: Competition, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = competition.categories.all()  # type: ignore[attr-defined]


class AcceptForm(forms.Form):
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. You sign in with your email address and this.",
    )


class ConflictForm(forms.Form):
    reason = forms.ChoiceField(label="Why", choices=ConflictReason.choices)


def score_form_class(criteria: list[Criterion], top: int) -> type[forms.Form]:
    """A form with a mark for each criterion of the rubric, and the written feedback."""
    fields: dict[str, Any] = {}
    for criterion in criteria:
        fields[f"mark_{criterion.pk}"] = forms.IntegerField(
            label=f"{criterion.name} (weight {criterion.weight}), out of {top}",
            help_text=criterion.descriptor,
            min_value=0,
            max_value=top,
            error_messages={
                "min_value": f"Give a mark from 0 to {top}.",
                "max_value": f"Give a mark from 0 to {top}.",
                "invalid": f"Give a whole mark from 0 to {top}.",
                "required": f"Give a mark from 0 to {top}.",
            },
            widget=forms.NumberInput(attrs={"min": 0, "max": top}),
        )
    fields["feedback"] = forms.CharField(
        label="Feedback for the entrant",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The family reads this once the results are out.",
    )
    return type("ScoreForm", (forms.Form,), fields)


class FinalForm(forms.Form):
    day = forms.DateField(label="Date of the final", widget=DateInput)
    starts = forms.TimeField(label="Starts at", widget=TimeInput, initial=time(14, 0))
    ends = forms.TimeField(label="Ends at", widget=TimeInput, initial=time(17, 0))
    venue_name = forms.CharField(label="Venue", max_length=200)
    venue_address = forms.CharField(label="Venue address", max_length=300)
    capacity = forms.IntegerField(label="Audience places", min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", "Choose an end time after the start.")
        return data

    def times(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(d["day"], d["starts"], tzinfo=zone),
            datetime.combine(d["day"], d["ends"], tzinfo=zone),
        )
