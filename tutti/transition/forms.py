from typing import Any, cast

from django import forms

from tutti.directory.models import Hub, Organisation
from tutti.transition import selectors
from tutti.transition.models import (
    PRIMARY_PHASES,
    RECEIVING_PHASES,
    FeederState,
    FirstContact,
    Passport,
)


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name}, {obj.town}" if obj.town else obj.name


class FeederAddForm(forms.Form):
    primary = SchoolChoiceField(
        label="Primary school to add",
        queryset=Organisation.objects.none(),
        error_messages={
            "invalid_choice": "Choose a primary school of this hub's area from the list.",
            "required": "Choose the primary school to add.",
        },
    )

    def __init__(self, *args: Any, hub: Hub, secondary: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(SchoolChoiceField, self.fields["primary"])
        # Any school of the area is accepted here, so that the service can say why one that is
        # not a primary cannot be a feeder; the list offers only primaries.
        field.queryset = selectors.hub_schools(hub=hub).exclude(pk=secondary.pk)
        field.choices = [("", "Choose a school")] + [
            (s.pk, field.label_from_instance(s))
            for s in selectors.primary_choices(hub=hub, secondary=secondary)
        ]


class FeederDecisionForm(forms.Form):
    primary = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    state = forms.ChoiceField(choices=FeederState.choices)


class PassportStartForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        help_text="We email you the link to your child's passport. Nothing is sent to a "
        "school until you choose to send it.",
    )


class PassportForm(forms.ModelForm):
    primary = SchoolChoiceField(
        label="Their primary school now",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="Needed to send the passport.",
        error_messages={"invalid_choice": "Choose your child's primary school from the list."},
    )
    secondary = SchoolChoiceField(
        label="The secondary school they are going to",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="Needed to send the passport. Only this school receives it, once you send it.",
        error_messages={
            "invalid_choice": "Choose the secondary school your child is going to from the list."
        },
    )
    partner = SchoolChoiceField(
        label="Organisation that teaches them",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="If a music service or another of the hub's partners teaches them.",
        error_messages={"invalid_choice": "Choose the organisation from the list."},
    )
    keep_longer = forms.BooleanField(
        label="Keep the passport until the end of Year 7, not only until Christmas of Year 7",
        required=False,
    )

    class Meta:
        model = Passport
        fields = [
            "child_name",
            "primary",
            "secondary",
            "instruments",
            "level",
            "years_learning",
            "teacher",
            "partner",
            "ensembles",
            "loan_instrument",
            "next_steps",
            "access_needs",
            "keep_longer",
        ]
        labels = {
            "child_name": "Your child's name",
            "instruments": "Instruments or voice",
            "level": "Level or grade",
            "years_learning": "Years learning",
            "teacher": "Their teacher's name",
            "ensembles": "Bands, orchestras or choirs they are in",
            "loan_instrument": "Instrument on loan to them",
            "next_steps": "What they would like to do next",
            "access_needs": "Anything that helps them take part",
        }
        help_texts = {
            "child_name": "Needed to send the passport. As their schools know them, so the new "
            "school can find them.",
            "instruments": "Needed to send the passport. For example: cornet, or singing.",
            "loan_instrument": "If they have an instrument on loan from the hub or a school, "
            "which one and from whom.",
            "access_needs": "Only what you want the new school to know, for example an "
            "adapted instrument or a quiet space.",
        }
        widgets = {
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "access_needs": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schools = selectors.hub_schools(hub=hub).filter(is_open=True).order_by("name", "town")
        fields = self.fields
        cast(SchoolChoiceField, fields["primary"]).queryset = schools.filter(
            phase__in=PRIMARY_PHASES
        )
        cast(SchoolChoiceField, fields["secondary"]).queryset = schools.filter(
            phase__in=RECEIVING_PHASES
        )
        cast(SchoolChoiceField, fields["partner"]).queryset = selectors.partner_choices(hub=hub)


class ContactForm(forms.Form):
    first_contact = forms.ChoiceField(
        label="What happened when you first met them in Year 7",
        choices=[("", "Choose one"), *FirstContact.choices],
    )
    note = forms.CharField(
        label="Note",
        max_length=300,
        required=False,
        help_text="For example: joined the Year 7 band on Tuesdays.",
    )


class MusicLeadForm(forms.Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
