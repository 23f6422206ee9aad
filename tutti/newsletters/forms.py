from typing import Any, cast

from django import forms
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from tutti.clusters.models import Cluster
from tutti.directory.models import Hub
from tutti.events.models import Audience, EventCategory
from tutti.newsletters.models import Issue, ListKind, NewsletterList
from tutti.provision.models import Network

IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_PIXELS = 6000
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
MAX_ADDRESSES = 500

# The words each sign-up form shows, kept with the consent they lead to.
SIGNUP_WORDING = (
    "We will email you a link to confirm. You will then get the lists you ticked, and every "
    "email has a link to change them or leave. We keep your address and name only for this, "
    "and never share them."
)
FOOTER_WORDING = (
    "Get our newsletter by email. We will send a link to confirm; every email has a link to leave."
)


class ListChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}: {obj.description}" if obj.description else obj.name


class SignupForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    name = forms.CharField(label="Your name", max_length=150, required=False)
    lists = ListChoiceField(
        label="Lists to join",
        queryset=NewsletterList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one list to join."},
    )

    def __init__(self, *args: Any, lists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["lists"]).queryset = lists
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if len(lists) == 1:
            self.fields["lists"].initial = [lists[0].pk]


class PreferencesForm(forms.Form):
    lists = ListChoiceField(
        label="Your lists",
        queryset=NewsletterList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, lists: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["lists"]).queryset = lists


class ListForm(forms.ModelForm):
    class Meta:
        model = NewsletterList
        fields = [
            "name",
            "description",
            "kind",
            "cluster",
            "network",
            "audience",
            "is_public",
            "in_footer",
        ]
        labels = {"kind": "Kind of list", "audience": "Audience (for an audience list)"}
        help_texts = {
            "cluster": "For a cluster list.",
            "network": "For a network list.",
        }

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cluster = cast(forms.ModelChoiceField, self.fields["cluster"])
        cluster.queryset = Cluster.objects.filter(hub=hub).order_by("name")
        network = cast(forms.ModelChoiceField, self.fields["network"])
        network.queryset = Network.objects.filter(hubs=hub).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ListKind.CLUSTER and not data.get("cluster"):
            self.add_error("cluster", "Choose the cluster this list is for.")
        if kind == ListKind.NETWORK and not data.get("network"):
            self.add_error("network", "Choose the network this list is for.")
        if kind == ListKind.AUDIENCE and not data.get("audience"):
            self.add_error("audience", "Choose who this audience list is for.")
        return data


class MembersAddForm(forms.Form):
    addresses = forms.CharField(
        label="Email addresses",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"One per line, or separated by commas; at most {MAX_ADDRESSES} at a time.",
    )
    basis = forms.BooleanField(
        label=(
            "I confirm we have a basis to email these people about this list: they asked us, or "
            "it is part of their role in the partnership, and they can leave at any time."
        ),
        error_messages={"required": "Confirm that you have a basis to email these people."},
    )

    def clean_addresses(self) -> list[str]:
        raw = self.cleaned_data["addresses"].replace(",", "\n").replace(";", "\n").split()
        emails = [item.strip().strip("<>") for item in raw if item.strip()]
        if len(emails) > MAX_ADDRESSES:
            raise forms.ValidationError(
                f"That is {len(emails)} addresses; add at most {MAX_ADDRESSES} at a time."
            )
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            shown = ", ".join(bad[:5]) + (" and more" if len(bad) > 5 else "")
            raise forms.ValidationError(f"These are not email addresses: {shown}.")
        if not emails:
            raise forms.ValidationError("Enter at least one email address.")
        return emails


class IssueForm(forms.ModelForm):
    digest_audience = forms.ChoiceField(
        label="Audience", choices=[("", "Any audience"), *Audience.choices], required=False
    )

    class Meta:
        model = Issue
        fields = [
            "subject",
            "body",
            "include_digest",
            "digest_category",
            "digest_cluster",
            "digest_audience",
            "digest_days",
        ]
        labels = {"body": "Text"}
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].error_messages["required"] = "Give the issue a subject."
        category = cast(forms.ModelChoiceField, self.fields["digest_category"])
        category.queryset = EventCategory.objects.filter(hub=hub)
        category.empty_label = "Any category"
        cluster = cast(forms.ModelChoiceField, self.fields["digest_cluster"])
        cluster.queryset = Cluster.objects.filter(hub=hub).order_by("name")
        cluster.empty_label = "Any cluster"
        self.fields["digest_days"].widget.attrs.update(min=1, max=365)


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label="When",
        choices=[("now", "Send now"), ("later", "Send at a set time")],
        widget=forms.RadioSelect,
        initial="now",
    )
    send_at = forms.DateTimeField(
        label="Date and time (UK time)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == "later":
            send_at = data.get("send_at")
            if send_at is None:
                self.add_error("send_at", "Enter the date and time to send it.")
            elif send_at <= timezone.now():
                self.add_error("send_at", "Choose a time in the future, or send it now.")
        return data


class ImageForm(forms.Form):
    image = forms.ImageField(
        label="Image",
        help_text="A PNG, JPEG, GIF or WebP image of at most 2 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
        error_messages={
            "invalid_image": "This file is not an image we can use: choose a PNG, JPEG, GIF or "
            "WebP image."
        },
    )
    alt = forms.CharField(
        label="Describe the image",
        max_length=200,
        help_text="For people who cannot see it, e.g. “Year 5 pupils playing violins”.",
    )

    def clean_image(self) -> Any:
        image = self.cleaned_data["image"]
        if image.size > IMAGE_MAX_BYTES:
            raise forms.ValidationError(
                f"The image is {filesizeformat(image.size)}; it must be at most 2 MB."
            )
        if image.image.format not in IMAGE_FORMATS:
            raise forms.ValidationError("The image must be a PNG, JPEG, GIF or WebP image.")
        width, height = image.image.size
        if width > IMAGE_MAX_PIXELS or height > IMAGE_MAX_PIXELS:
            raise forms.ValidationError(
                f"The image is {width} by {height} pixels; it must be at most "
                f"{IMAGE_MAX_PIXELS} on each side."
            )
        return image
