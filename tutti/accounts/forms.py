from allauth.account.adapter import get_adapter
from allauth.account.forms import AddEmailForm
from allauth.account.models import EmailAddress

from tutti.accounts.models import User


class ChangeEmailForm(AddEmailForm):
    """allauth's form for a new address, which says plainly when another account has it.

    Only signed-in people reach it, and it is rate limited, so saying so gives away little;
    the password reset form still says the same whether or not an account exists.
    """

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
