from typing import Any

from django import forms
from django.db.models import Q

from tutti.directory.models import (
    Expertise,
    LocalAuthority,
    Organisation,
    OrganisationKind,
)
from tutti.directory.postcodes import clean_postcode
from tutti.directory.selectors import DirectoryFilters, already_listed, organisation_named

ANY = [("", "Any")]


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label="Name, town or URN", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode or area (e.g. SN10)", required=False, max_length=10)
    local_authority = forms.ChoiceField(label="Local authority", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=ANY + OrganisationKind.choices)
    cluster = forms.ChoiceField(label="Cluster", required=False)
    expertise = forms.ChoiceField(label="Expertise", required=False)

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].choices = ANY + [
            (la.code, la.name) for la in hub.local_authorities.order_by("name")
        ]
        self.fields["cluster"].choices = ANY + [
            (c.slug, c.name) for c in hub.clusters.order_by("name")
        ]
        self.fields["expertise"].choices = ANY + [
            (e.slug, e.name) for e in Expertise.objects.order_by("name")
        ]

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        values: dict[str, Any] = {k: data.get(k) or "" for k in self.fields}
        return DirectoryFilters(**values)


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")
    # No maxlength: a browser would cut a long wrong value short instead of it being refused.
    postcode = forms.CharField(
        required=False,
        help_text=(
            "We put it on the map at the middle of its postcode district (SN10 for SN10 1AB), "
            "so a full postcode is enough; nobody needs to look up a position."
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "description",
            "address",
            "town",
            "postcode",
            "local_authority",
            "website",
            "email",
            "phone",
            "expertise",
            "listed_publicly",
        ]
        widgets = {
            "expertise": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        self.hub = hub
        kinds = [c for c in OrganisationKind.choices if c[0] != OrganisationKind.SCHOOL]
        if self.instance.pk and self.instance.is_school:
            kinds = [(OrganisationKind.SCHOOL, "School")]
        self.fields["kind"].choices = kinds
        # The hub's own authorities, and the one it has now if that is another's.
        current = self.instance.local_authority_id if self.instance.pk else None
        self.fields["local_authority"].queryset = (
            LocalAuthority.objects.filter(Q(hubs=hub) | Q(pk=current)).distinct().order_by("name")
        )
        self.fields["local_authority"].required = False

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data["postcode"])

    def clean_name(self) -> str:
        # Also checked by the service; here too, so that it is said with any other problem.
        name = self.cleaned_data["name"]
        if self.instance.pk and name == self.instance.name:
            return name
        same = organisation_named(hub=self.hub, name=name, exclude=self.instance.pk)
        if same is not None:
            raise forms.ValidationError(already_listed(same))
        return name
