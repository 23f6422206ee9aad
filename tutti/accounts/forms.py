from typing import cast

from django import forms
from django.contrib.auth import password_validation
from django.db.models import QuerySet

from tutti.accounts.models import Role
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.directory.selectors import hub_organisations

ROLE_HELP = (
    "Hub admins run the team and settings; hub staff manage everything else; coordinators "
    "run their own clusters; partner staff act for their own organisations."
)


def _partner_choices(hub: Hub) -> QuerySet[Organisation]:
    return hub_organisations(hub=hub).exclude(kind=OrganisationKind.SCHOOL).order_by("name")


class _RoleFields(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices, help_text=ROLE_HELP)
    organisations: "forms.ModelMultipleChoiceField[Organisation]" = forms.ModelMultipleChoiceField(
        label="Organisations they act for (partner staff only)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, hub: Hub, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])
        field.queryset = _partner_choices(hub)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.PARTNER_STAFF and not cleaned.get("organisations"):
            self.add_error("organisations", "Choose at least one organisation for partner staff.")
        return cleaned


class InviteForm(_RoleFields):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)

    field_order = ["email", "first_name", "last_name", "role", "organisations"]


class RoleForm(_RoleFields):
    pass


class AcceptForm(forms.Form):
    """A new account's name and password; the email address is the invitation's."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, and not a common password.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are not the same.")
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
