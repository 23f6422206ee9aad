from typing import cast

from django import forms

from tutti.events.forms import EARLIEST, LATEST, DateInput

EMAIL_ERRORS = {
    "required": "Enter their email address.",
    "invalid": "Enter a valid email address, like name@example.org.",
}


class PersonForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="The address they booked or signed in with.",
        error_messages=EMAIL_ERRORS,
    )


class EraseForm(forms.Form):
    email = forms.EmailField(widget=forms.HiddenInput, max_length=254, error_messages=EMAIL_ERRORS)
    confirm = forms.BooleanField(
        label="I understand that this cannot be undone",
        error_messages={"required": "Tick the box to confirm that this cannot be undone."},
    )


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=254,
        help_text="An email address: what they did, and entries that mention them.",
    )
    action = forms.ChoiceField(label="Action", required=False)
    since = forms.DateField(label="From", required=False, widget=DateInput)
    until = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", "Any action"),
            *((a, a) for a in actions),
        ]

    def clean(self):
        data = super().clean()
        for name in ("since", "until"):
            day = data.get(name)
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, "Enter a date between 2000 and 2199.")
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date must be on or after the start date.")
        return data
