from django import forms

from tutti.clusters.models import Cluster
from tutti.clusters.services import MAX_ASSIGNMENT_BYTES
from tutti.core.uploads import LimitedFileField


class ClusterForm(forms.ModelForm):
    class Meta:
        model = Cluster
        fields = ["name", "area", "description", "contact_email"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"contact_email": "Shown on the public clusters page."}


class CoordinatorForm(forms.Form):
    email = forms.EmailField(label="Coordinator's email address")
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        help_text="Shown on the public clusters page. Their email address is not.",
    )
    last_name = forms.CharField(label="Last name", max_length=150)


class MemberSearchForm(forms.Form):
    q = forms.CharField(label="Find a school or organisation", required=False, max_length=100)


class AssignmentUploadForm(forms.Form):
    file = LimitedFileField(
        max_bytes=MAX_ASSIGNMENT_BYTES,
        label="CSV file",
        help_text="Two columns with a header row: URN and Cluster (the cluster's name).",
    )
