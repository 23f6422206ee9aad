import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from tutti.core.uploads import LimitedFileField
from tutti.directory.models import Organisation
from tutti.loans.kinds import FAMILIES, TYPES, TYPES_BY_KEY
from tutti.loans.models import Condition, Ground, Instrument, InstrumentRequest, Status, Term
from tutti.loans.spreadsheet import MAX_BYTES

EARLIEST, LATEST = "2000-01-01", "2199-12-31"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"min": EARLIEST, "max": LATEST, **(attrs or {})}, format="%Y-%m-%d")


def _date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput, **kwargs)


def kind_size_choices(blank: str = "Choose…") -> list[Any]:
    """Every type and size, grouped by type: the value is "type|size"."""
    choices: list[Any] = [("", blank)]
    for kind in TYPES:
        if kind.sizes:
            choices.append(
                (kind.label, [(f"{kind.key}|{s}", f"{kind.label} {s}") for s in kind.sizes])
            )
        else:
            choices.append((f"{kind.key}|", kind.label))
    return choices


class KindSizeMixin(forms.Form):
    kind_size = forms.ChoiceField(label="Instrument and size", choices=kind_size_choices)

    def clean_kind_size(self) -> str:
        value: str = self.cleaned_data["kind_size"]
        kind, _, size = value.partition("|")
        if kind not in TYPES_BY_KEY:
            raise forms.ValidationError("Choose an instrument from the list.")
        self.cleaned_data["kind"], self.cleaned_data["size"] = kind, size
        return value


class InstrumentForm(KindSizeMixin, forms.ModelForm):
    field_order = ["asset_tag", "kind_size"]

    class Meta:
        model = Instrument
        fields = [
            "asset_tag",
            "maker",
            "serial",
            "owner",
            "location",
            "condition",
            "purchased_on",
            "value",
            "funding_source",
            "service_due_on",
            "notes",
        ]
        widgets = {"purchased_on": DateInput, "service_due_on": DateInput}

    def __init__(self, *args: Any, owners: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = self.fields["owner"].queryset.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in owners]
        )
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0].pk
        self.fields["value"].widget.attrs["min"] = 0
        if self.instance.pk:
            self.fields["kind_size"].initial = f"{self.instance.kind}|{self.instance.size}"

    def clean_value(self) -> Decimal:
        value: Decimal = self.cleaned_data["value"]
        if value is not None and value < 0:
            raise forms.ValidationError("A value cannot be below zero.")
        return value

    def _post_clean(self) -> None:
        # Type, size and uniqueness are the service's rules, checked with the hub's store.
        pass


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Asset tag, serial number, maker or place", required=False, max_length=60
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), *Status.choices]
    )
    kind = forms.ChoiceField(
        label="Type", required=False, choices=[("", "Any"), *[(t.key, t.label) for t in TYPES]]
    )


class ImportForm(forms.Form):
    file = LimitedFileField(
        label="Spreadsheet (CSV or Excel .xlsx)",
        max_bytes=MAX_BYTES,
        help_text="One instrument a row, under the template's headings. Nothing is stored "
        "unless every row is right.",
    )


class RequestForm(KindSizeMixin, forms.ModelForm):
    """What a parent, carer or school tells the hub: the least the loan needs."""

    field_order = ["kind_size"]

    class Meta:
        model = InstrumentRequest
        fields = [
            "first_name",
            "last_name",
            "school",
            "year_group",
            "contact_name",
            "contact_email",
            "ground",
        ]
        labels = {"ground": "Free or reduced hire"}
        help_texts = {
            "ground": "If one of these applies, hire is free or cheaper. The hub will ask to "
            "see evidence (for example a letter), and will not keep a copy.",
            "contact_email": "We send a link to follow the request and accept the loan agreement.",
        }

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        self.fields["school"].empty_label = "Choose the pupil's school"  # type: ignore[attr-defined]
        self.fields["ground"].choices = [  # type: ignore[attr-defined]
            ("", "None of these: we pay the full fee"),
            *[(v, label) for v, label in Ground.choices if v],
        ]
        self.fields["ground"].required = False
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"

    def _post_clean(self) -> None:
        pass


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("granted", "Grant free or reduced hire"), ("refused", "Refuse")],
        widget=forms.RadioSelect,
    )
    ground = forms.ChoiceField(
        label="Ground", required=False, choices=[(v, label) for v, label in Ground.choices if v]
    )
    evidence_seen = forms.CharField(
        label="Evidence seen",
        required=False,
        max_length=200,
        help_text="What you saw, e.g. “free school meals letter, September 2026”. Do not upload "
        "or keep the document.",
    )


class IssueForm(forms.Form):
    asset_tag = forms.CharField(
        label="Asset tag",
        max_length=30,
        help_text="Type or scan the tag on the instrument's label.",
    )
    starts_on = _date_field("Start date")
    due_on = _date_field("Expected back")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["due_on"].initial = today + dt.timedelta(days=364)
        self.fields["asset_tag"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class SchoolIssueForm(forms.Form):
    school = forms.ModelChoiceField(
        label="School", queryset=Organisation.objects.none(), empty_label="Choose a school"
    )
    asset_tags = forms.CharField(
        label="Asset tags",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Type or scan each instrument's tag, one a line (or separated by commas).",
    )
    email = forms.EmailField(
        label="School's contact email",
        required=False,
        help_text="We send the loan agreement there to accept online.",
    )
    starts_on = _date_field("Start date")
    due_on = _date_field("Expected back")

    def __init__(self, *args: Any, schools: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["due_on"].initial = (
            today.replace(month=7, day=20)
            if today.month < 7
            else (today.replace(year=today.year + 1, month=7, day=20))
        )

    def tags(self) -> list[str]:
        text = self.cleaned_data["asset_tags"].replace(",", "\n")
        return [t.strip() for t in text.splitlines() if t.strip()]


class ReturnForm(forms.Form):
    returned_on = _date_field("Returned on")
    condition = forms.ChoiceField(label="Condition", choices=Condition.choices)
    fault = forms.CharField(
        label="Damage or fault",
        required=False,
        max_length=300,
        help_text="Anything written here, or the condition “Damaged”, sends it to repair.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()


class ExtendForm(forms.Form):
    due_on = _date_field("New return date")


class AcceptForm(forms.Form):
    name = forms.CharField(label="Your full name", max_length=150)
    agree = forms.BooleanField(label="I have read the agreement and accept it")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"


class RepairForm(forms.Form):
    fault = forms.CharField(label="Fault", max_length=300)
    sent_to = forms.CharField(label="Sent to", required=False, max_length=150)


class RepairCloseForm(forms.Form):
    back_on = _date_field("Back on")
    cost = forms.DecimalField(
        label="Cost (£)", required=False, min_value=0, max_digits=8, decimal_places=2
    )
    sent_to = forms.CharField(label="Repaired by", required=False, max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["back_on"].initial = timezone.localdate()


def fee_choices() -> list[tuple[str, str]]:
    return [
        *[(f"family:{key}", f"Every {label.lower()} (family)") for key, label in FAMILIES.items()],
        *[(t.key, t.label) for t in TYPES],
    ]


class FeeForm(forms.Form):
    key = forms.ChoiceField(label="Instrument type or family", choices=fee_choices)
    amount = forms.DecimalField(label="Fee a term (£)", max_digits=7, decimal_places=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["min"] = 0


class SettingsForm(forms.Form):
    priority_rule = forms.ChoiceField(label="Who comes first on the waiting lists")
    low_income_percent = forms.IntegerField(
        label="Other low incomes pay this share of the fee (per cent)",
        help_text="0 makes hire free for them too; 100 is the full fee. Free school meals, "
        "pupil premium, looked-after children and young carers always hire free.",
    )
    how_to_pay = forms.CharField(
        label="How families and schools pay",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with every charge, e.g. the bank details and the reference to use.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tutti.loans.models import PriorityRule

        super().__init__(*args, **kwargs)
        self.fields["priority_rule"].choices = PriorityRule.choices  # type: ignore[attr-defined]

    def clean_low_income_percent(self) -> int:
        value: int = self.cleaned_data["low_income_percent"]
        if not 0 <= value <= 100:
            raise forms.ValidationError(
                "Enter a share from 0 to 100: remission can never charge more than the full fee."
            )
        return value


class AgreementForm(forms.Form):
    text = forms.CharField(
        label="The loan agreement",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Saving makes a new version. Loans accepted before keep the version accepted.",
    )


class TermForm(forms.Form):
    year = forms.IntegerField(label="School year starting in", min_value=2000, max_value=2199)
    term = forms.ChoiceField(label="Term", choices=Term.choices)


class PaidForm(forms.Form):
    paid_on = _date_field("Paid on")
