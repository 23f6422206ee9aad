"""allauth's forms with Tutti's plain labels: no placeholders, the label says it all."""

from allauth.account import forms as account_forms
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms

from tutti.accounts.models import User

CODE_LABEL = "Code from your app"


class PlainLabels:
    labels: dict[str, str] = {}
    fields: dict[str, forms.Field]  # the allauth form's, once it is built

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # Placeholders vanish as one types and read as filled in: labels and hints instead.
            field.widget.attrs.pop("placeholder", None)
            if name in self.labels:
                field.label = self.labels[name]


class LoginForm(PlainLabels, account_forms.LoginForm):
    labels = {"login": "Email address", "remember": "Keep me signed in on this device"}


class ResetPasswordForm(PlainLabels, account_forms.ResetPasswordForm):
    labels = {"email": "Email address"}


class ResetPasswordKeyForm(PlainLabels, account_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "New password again"}


class ChangePasswordForm(PlainLabels, account_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "New password again",
    }


class ReauthenticateForm(PlainLabels, account_forms.ReauthenticateForm):
    labels = {"password": "Your password"}


class ChangeEmailForm(PlainLabels, account_forms.AddEmailForm):
    """A new address, and a plain answer when another account has it.

    Only signed-in people reach it, and it is rate limited, so saying so gives away little;
    the password reset form still answers the same whether or not an account exists.
    """

    labels = {"email": "New email address"}

    def clean_email(self) -> str:
        value = super().clean_email()
        if User.objects.filter(email__iexact=value).exclude(pk=self.user.pk).exists():
            raise get_adapter().validation_error("email_taken")
        return value

    def save(self, request):
        # The address an account was made with counts as confirmed: a hub admin entered it and
        # its owner signs in with it. Without this, allauth would take it for an unconfirmed
        # change and drop it when the next one is asked for, leaving the account no address.
        EmailAddress.objects.filter(user=self.user, email__iexact=self.user.email).update(
            verified=True, primary=True
        )
        return super().save(request)


class AuthenticateForm(PlainLabels, mfa_forms.AuthenticateForm):
    labels = {"code": "Code from your app, or a recovery code"}


class MFAReauthenticateForm(PlainLabels, mfa_forms.ReauthenticateForm):
    labels = {"code": CODE_LABEL}


class ActivateTOTPForm(PlainLabels, totp_forms.ActivateTOTPForm):
    labels = {"code": CODE_LABEL}
