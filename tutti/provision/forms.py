from typing import cast

from django import forms

from tutti.provision.models import (
    ANSWER_FIELDS,
    KEY_STAGE_FIELDS,
    Answer,
    Barrier,
    CoreRole,
    CpdTopic,
    SchoolAudit,
)
from tutti.provision.services import AUDIT_FIELDS

HELP = {
    "music_lead": "Who the hub should contact about music. Only the hub's staff see this.",
    "wcet": "Every pupil in a class learning an instrument together, usually in Year 3 or 4.",
    "wcet_year_group": "For example: Year 4. Name each year group if there is more than one.",
    "wcet_instrument": "For example: ukulele, violin, samba drums.",
    "wcet_weeks": "How many weeks the class learns together. Must be empty or 0 if there is none.",
    "wcet_details": "For example: a second year group, or what happens after the first year.",
    "ks1_minutes": "Average minutes a week of curriculum music. Leave empty if the school has no "
    "pupils in this key stage.",
    "ks2_minutes": "Leave empty if the school has no pupils in this key stage.",
    "ks3_minutes": "Leave empty if the school has no pupils in this key stage.",
    "ks4_minutes": "Leave empty if the school has no pupils in this key stage.",
    "singing": "Singing in class or assemblies every week.",
    "choir_members": "Leave empty if you do not know. Must be empty or 0 if there is no choir.",
    "ensemble_members": (
        "Leave empty if you do not know. Must be empty or 0 if there are no ensembles."
    ),
    "tuition": "Lessons for individual pupils or small groups, in or out of school time.",
    "tuition_pupils": "Leave empty if you do not know. Must be empty or 0 if there are none.",
    "send": "Music made accessible for pupils with special educational needs and disabilities.",
    "mdp": "The plan the national plan asks every school to publish.",
    "mdp_url": "The web address of the summary on your school's website.",
    "cpd_other": "Anything not in the list above.",
    "barriers_other": "Anything not in the list above.",
}


class AuditForm(forms.ModelForm):
    mdp_url = forms.URLField(
        label="Where its summary is published",
        required=False,
        assume_scheme="https",
        help_text=HELP["mdp_url"],
    )
    cpd_wanted = forms.MultipleChoiceField(
        label="Training the staff would like",
        choices=CpdTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    barriers = forms.MultipleChoiceField(
        label="What makes music hard for the school",
        choices=Barrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = SchoolAudit
        fields = AUDIT_FIELDS
        help_texts = HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ANSWER_FIELDS:
            self.fields[name].choices = [("", "Not answered yet"), *Answer.choices]
        counts = ["choir_members", "ensemble_members", "tuition_pupils", "wcet_weeks"]
        for name in counts + [name for name, _ in KEY_STAGE_FIELDS]:
            self.fields[name].widget.attrs["min"] = 0


class GapFilterForm(forms.Form):
    role = forms.ChoiceField(label="Show", choices=CoreRole.choices, required=False)
    phase = forms.ChoiceField(label="Phase of school", required=False)

    def __init__(self, *args, phases: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["phase"]).choices = [
            ("", "All phases"),
            *((p, p) for p in phases),
        ]


class ManageFilterForm(forms.Form):
    cluster = forms.ChoiceField(label="Cluster", required=False)

    def __init__(self, *args, clusters: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cluster"]).choices = [
            ("", "All clusters"),
            *((c, c) for c in clusters),
        ]


class NetworkFilterForm(forms.Form):
    role = forms.ChoiceField(label="Show", choices=CoreRole.choices, required=False)
    group = forms.ChoiceField(label="Area", required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", "All member hubs"),
            *((str(g.pk), f"{g.name}'s area") for g in groups),
        ]


class ReportFilterForm(ManageFilterForm):
    role = forms.ChoiceField(label="Map of", choices=CoreRole.choices, required=False)


class SchoolListFilterForm(ManageFilterForm):
    """The staff list of every school's audit: by cluster, by how far the audit is, by name."""

    state = forms.ChoiceField(
        label="Audit",
        required=False,
        choices=[
            ("", "Any"),
            ("not started", "Not started"),
            ("started", "Started"),
            ("complete", "Complete"),
        ],
    )
    q = forms.CharField(label="School name", required=False, max_length=100)
