"""The CPD networks' forms: input rules and messages only; the rules of the network are in
services."""

from typing import Any

from django import forms

from tutti.core.uploads import LimitedFileField
from tutti.core.years import current_academic_year
from tutti.cpd.models import MemberRole, NetworkMember, QuestionKind, Term
from tutti.cpd.services import RESOURCE_MAX_BYTES
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.provision.models import Network


def _schools(hub: Hub) -> Any:
    return hub_organisations(hub=hub).filter(kind=OrganisationKind.SCHOOL).order_by("name")


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = [
            "name",
            "vision",
            "description",
            "lead_organisation",
            "supply_cover_rate",
            "early_booking_days",
        ]
        labels = {"name": "Name", "description": "More about the network"}
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = hub_organisations(hub=hub).order_by("name")
        self.fields[
            "supply_cover_rate"
        ].help_text = (
            "In pounds, for each teacher for each day attended, e.g. 110. Enter 0 for none."
        )


class JoinForm(forms.Form):
    school = forms.ModelChoiceField(
        label="The school you teach at",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Choose the school you teach at."},
    )
    message = forms.CharField(
        label="Why you would like to join",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _schools(hub)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        error_messages={"invalid": "Enter a valid email address, like name@example.org."},
    )
    name = forms.CharField(label="Their name", max_length=200, required=False)
    school = forms.ModelChoiceField(
        label="Their school", queryset=Organisation.objects.none(), required=False
    )
    role = forms.ChoiceField(label="Role", choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = _schools(hub)


class DayForm(forms.Form):
    term = forms.ChoiceField(choices=Term.choices)
    year = forms.IntegerField(
        label="School year it starts",
        min_value=2000,
        max_value=2100,
        help_text="For 2025 to 2026, enter 2025.",
    )
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label="Ends at", widget=forms.TimeInput(attrs={"type": "time"}))
    venue_name = forms.CharField(label="Where", max_length=200)
    venue_address = forms.CharField(label="Address", max_length=300, required=False)
    capacity = forms.IntegerField(label="Places", min_value=1, required=False)
    public_opens_on = forms.DateField(
        label="Open places to the public on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Members can book before this. Leave it empty for members only.",
    )

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", "The day must end after it starts.")
        return data


class DaySessionForm(forms.Form):
    starts_at = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label="Ends at", widget=forms.TimeInput(attrs={"type": "time"}))
    title = forms.CharField(max_length=200)
    presenters = forms.CharField(
        label="Presented by",
        max_length=200,
        required=False,
        help_text="As it should be shown, e.g. a speaker and their organisation.",
    )
    presenter_member = forms.ModelChoiceField(
        label="Or a member of the network",
        queryset=NetworkMember.objects.none(),
        required=False,
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter_member"].queryset = NetworkMember.objects.filter(
            network=network, status="active"
        )

    def clean(self):
        data = super().clean()
        if not data.get("presenters") and not data.get("presenter_member"):
            raise forms.ValidationError("Say who presents the session.")
        return data


class ClaimForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label="Teachers who attended",
        queryset=NetworkMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one teacher who attended."},
    )

    def __init__(self, *args, claimable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = NetworkMember.objects.filter(
            pk__in=[m.pk for m in claimable]
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Reason (needed to reject)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        label="Short description", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    tags = forms.CharField(
        max_length=200, required=False, help_text="Separated by commas, e.g. singing, KS2."
    )
    file = LimitedFileField(
        max_bytes=RESOURCE_MAX_BYTES,
        required=False,
        help_text="A document, slides, sheet music, a recording or a picture; at most 10 MB.",
    )
    link = forms.URLField(label="Or a link", max_length=500, required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("link"):
            raise forms.ValidationError("Choose a file or enter a link.")
        return data


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Your post",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="You can use Markdown: **bold**, *italic*, lists and links.",
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", max_length=10_000, widget=forms.Textarea(attrs={"rows": 4})
    )


class NotifyForm(forms.Form):
    notify_posts = forms.BooleanField(
        label="Email me when someone starts a discussion or replies", required=False
    )


class VisitForm(forms.Form):
    kind = forms.ChoiceField(
        label="What you would like",
        choices=[("offer", "Offer a visit to my school"), ("request", "Ask to visit a member")],
        widget=forms.RadioSelect,
    )
    host = forms.ModelChoiceField(
        label="Member to visit", queryset=NetworkMember.objects.none(), required=False
    )
    focus = forms.CharField(label="What the visit is to see", max_length=300)

    def __init__(self, *args, network, me, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = NetworkMember.objects.filter(
            network=network, status="active"
        ).exclude(pk=me.pk)

    def clean(self):
        data = super().clean()
        if data.get("kind") == "request" and not data.get("host"):
            self.add_error("host", "Choose the member you would like to visit.")
        return data


class VisitAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    date = forms.DateField(
        label="Date agreed", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label="Your reflection", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


QUESTION_SLOTS = 5


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200)
    intro = forms.CharField(label="A line for the people answering", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, QUESTION_SLOTS + 1):
            self.fields[f"q{n}_text"] = forms.CharField(
                label=f"Question {n}", max_length=300, required=n == 1
            )
            self.fields[f"q{n}_kind"] = forms.ChoiceField(
                label=f"Question {n}: type of answer", choices=QuestionKind.choices
            )
            self.fields[f"q{n}_choices"] = forms.CharField(
                label=f"Question {n}: choices, one a line",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def questions(self) -> list[tuple[str, str, list[str]]]:
        data = self.cleaned_data
        return [
            (data[f"q{n}_kind"], data[f"q{n}_text"], data[f"q{n}_choices"].splitlines())
            for n in range(1, QUESTION_SLOTS + 1)
            if data.get(f"q{n}_text")
        ]


class AnswerForm(forms.Form):
    """The survey's own questions; the choices are checked again in the service."""

    def __init__(self, *args, survey, hub, ask_school, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_school:
            self.fields["school"] = forms.ModelChoiceField(
                label="Your school", queryset=_schools(hub), required=False
            )
        for q in survey.questions.all():
            name = f"q{q.pk}"
            choices = [(c, c) for c in q.choices]
            if q.kind == QuestionKind.ONE:
                field: forms.Field = forms.ChoiceField(
                    choices=choices, widget=forms.RadioSelect, required=False
                )
            elif q.kind == QuestionKind.SEVERAL:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, required=False
                )
            elif q.kind == QuestionKind.SCALE:
                field = forms.ChoiceField(
                    choices=[(str(n), str(n)) for n in range(1, 6)],
                    widget=forms.RadioSelect,
                    required=False,
                    help_text="1 is not at all, 5 is very much.",
                )
            else:
                field = forms.CharField(max_length=1000, required=False)
            field.label = q.text
            field.error_messages["invalid_choice"] = (
                f"Choose one of the answers given for “{q.text}”."
            )
            self.fields[name] = field

    def answers(self) -> dict[str, Any]:
        return {k[1:]: v for k, v in self.cleaned_data.items() if k.startswith("q")}


def this_school_year() -> int:
    return current_academic_year()
