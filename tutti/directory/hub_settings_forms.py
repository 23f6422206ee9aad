from django import forms
from django.template.defaultfilters import filesizeformat

from tutti.directory.models import Hub
from tutti.directory.services import HUB_SETTINGS_FIELDS

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4000
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


class HubSettingsForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")
    logo = forms.ImageField(
        label="Logo",
        required=False,
        help_text="A PNG, JPEG, GIF or WebP image of at most 1 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )

    class Meta:
        model = Hub
        fields = list(HUB_SETTINGS_FIELDS)
        labels = {
            "name": "Name shown on every page",
            "contact_email": "Contact email address",
            "require_two_factor": "Require two-factor sign-in for hub admins and hub staff",
            "privacy_notice": "Privacy notice",
            "retention_booking_months": "Anonymise bookings this many months after the event",
            "retention_audit_months": "Keep the audit log this many months",
            "retention_invitation_days": "Delete expired or withdrawn invitations after (days)",
        }
        help_texts = {
            "description": "Shown on the hub's home page.",
            "privacy_notice": "Leave empty to use Tutti's standard notice, with your details.",
            "retention_booking_months": "Between 1 and 120. The usual choice is 24.",
            "retention_audit_months": "Between 12 and 240. The usual choice is 72 (six years).",
            "retention_invitation_days": "Between 1 and 3650. The usual choice is 90.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "privacy_notice": forms.Textarea(attrs={"rows": 8}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo or not hasattr(logo, "image"):
            return logo  # unchanged, or cleared
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                f"The logo is {filesizeformat(logo.size)}; it must be at most 1 MB."
            )
        if logo.image.format not in LOGO_FORMATS:
            raise forms.ValidationError("The logo must be a PNG, JPEG, GIF or WebP image.")
        width, height = logo.image.size
        if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
            raise forms.ValidationError(
                f"The logo is {width} by {height} pixels; it must be at most 4000 on each side."
            )
        return logo
