"""The kinds of participation record, each declared once, here.

A record kind is one activity partners report: whole-class ensemble teaching, lessons,
ensembles, singing support, school support, instruments on loan. Everything that differs by
kind reads its ``RecordKind`` from ``KINDS``: the web form (``form_fields``, the URN rule), the
figures (``figure_fields``), the partner's spreadsheet (``sheet``), the API, the records pages
and provision's needs analysis (``core_role``). The key is the kind's name in URLs, the API,
audit actions and the spreadsheet's records.

Adding a kind:
1. Its model in ``models.py`` (a ``ParticipationRecord``) and a migration.
2. A ``RecordKind`` in ``KINDS`` below: key, model, label, form and figure fields, school rule,
   its spreadsheet sheet (a new sheet title, so old templates are refused, not misread).
3. Its one-line summary in ``templates/participation/includes/record_summary.html``.
4. Figures that should count it (``figures.py``), and a factory and tests.
The API's kind list, the records pages and the spreadsheet follow from the table.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import TextChoices

from tutti.participation.models import (
    Ensemble,
    EnsembleKind,
    EnsembleLevel,
    InstrumentFamily,
    InstrumentLoans,
    LessonType,
    ParticipationRecord,
    SchoolSupport,
    SingingKind,
    SingingSupport,
    TuitionRecord,
    WcetProgramme,
)

MAX_ROWS = 5000
URN_HELP = "The school's unique reference number from the register."


class SchoolRule(StrEnum):
    """Whether a record names a school by URN."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


@dataclass(frozen=True)
class Column:
    """One column of a kind's sheet in the partner's spreadsheet."""

    header: str
    field: str
    # urn: a school by its URN; info: shown to help, ignored when read back.
    kind: str = "int"
    required: bool = True
    choices: type[TextChoices] | None = None
    # For "of whom" counts: the column they cannot exceed.
    within: str = ""


@dataclass(frozen=True)
class Sheet:
    """A kind's sheet: its title (the workbook's tab), columns and what makes a row unique."""

    title: str
    columns: tuple[Column, ...]
    # Rows that would be the same record twice, by these fields.
    unique: tuple[str, ...] = ()
    max_rows: int = MAX_ROWS


@dataclass(frozen=True)
class RecordKind:
    key: str
    model: type[ParticipationRecord]
    label: str
    # What the web form asks (besides year, partner and school), in order; also the API's
    # "details" of a record.
    form_fields: tuple[str, ...]
    # The numbers and flags the figures read (figures.load_years).
    figure_fields: tuple[str, ...]
    sheet: Sheet
    school: SchoolRule = SchoolRule.REQUIRED
    urn_help: str = URN_HELP
    # Lessons are at a school or at a centre: one of the two must be given.
    school_or_centre: bool = False
    # The provision core role a record of this kind at a school shows as provided.
    core_role: str = ""

    @property
    def names_school(self) -> bool:
        """Whether a record can name a school at all (instruments on loan do not)."""
        return self.school != SchoolRule.NONE


def _school(required: bool = True) -> tuple[Column, Column]:
    return (
        Column("URN", "school", "urn", required=required),
        Column("School name", "", "info", required=False),
    )


def _of_whom(total: str) -> tuple[Column, ...]:
    return (
        Column("Of whom free school meals or pupil premium", "fsm", within=total),
        Column("Of whom with SEND", "send", within=total),
        Column("Of whom looked after", "looked_after", within=total),
    )


_KINDS = (
    RecordKind(
        key="wcet",
        model=WcetProgramme,
        label="Whole-class ensemble teaching",
        form_fields=(
            "year_groups",
            "instruments",
            "pupils",
            "weeks",
            "lesson_minutes",
            "continued",
        ),
        figure_fields=("pupils", "continued"),
        sheet=Sheet(
            "WCET",
            (
                *_school(),
                Column("Year groups", "year_groups", "text"),
                Column("Instruments", "instruments", "text"),
                Column("Pupils", "pupils"),
                Column("Weeks", "weeks"),
                Column("Lesson length (minutes)", "lesson_minutes"),
                Column("Pupils who continued", "continued", within="pupils"),
            ),
        ),
        core_role="wcet",
    ),
    RecordKind(
        key="tuition",
        model=TuitionRecord,
        label="Instrumental and vocal lessons",
        form_fields=("centre", "family", "lesson_type", "pupils", "fsm", "send", "looked_after"),
        figure_fields=("pupils",),
        sheet=Sheet(
            "Lessons",
            (
                *_school(required=False),
                Column("Centre (if not at a school)", "centre", "text", required=False),
                Column("Instrument family", "family", "choice", choices=InstrumentFamily),
                Column("Lesson type", "lesson_type", "choice", choices=LessonType),
                Column("Pupils", "pupils"),
                *_of_whom("pupils"),
            ),
        ),
        school=SchoolRule.OPTIONAL,
        urn_help="Leave empty for lessons at a centre, and give the centre's name.",
        school_or_centre=True,
        core_role="tuition",
    ),
    RecordKind(
        key="ensembles",
        model=Ensemble,
        label="Ensembles and choirs",
        form_fields=(
            "name",
            "kind",
            "level",
            "members",
            "fsm",
            "send",
            "looked_after",
            "rehearsals",
        ),
        figure_fields=("members",),
        sheet=Sheet(
            "Ensembles",
            (
                Column("Name", "name", "text"),
                Column("Type", "kind", "choice", choices=EnsembleKind),
                Column("Level", "level", "choice", choices=EnsembleLevel),
                *_school(required=False),
                Column("Members", "members"),
                *_of_whom("members"),
                Column("Rehearsals in the year", "rehearsals"),
            ),
            unique=("name",),
        ),
        school=SchoolRule.OPTIONAL,
        urn_help="Leave empty for an area-based ensemble.",
        core_role="ensembles",
    ),
    RecordKind(
        key="singing",
        model=SingingSupport,
        label="Singing support",
        form_fields=("kind",),
        figure_fields=(),
        sheet=Sheet(
            "Singing",
            (*_school(), Column("Kind of support", "kind", "choice", choices=SingingKind)),
            unique=("school", "kind"),
        ),
        core_role="singing",
    ),
    RecordKind(
        key="school-support",
        model=SchoolSupport,
        label="School support",
        form_fields=(
            "wcet",
            "ensembles",
            "progression",
            "singing",
            "cpd",
            "curriculum",
            "instrument_loan",
            "large_scale",
        ),
        figure_fields=SchoolSupport.CORE_ROLES,
        sheet=Sheet(
            "School support",
            (
                *_school(),
                Column("WCET", "wcet", "bool", required=False),
                Column("Ensembles", "ensembles", "bool", required=False),
                Column("Progression", "progression", "bool", required=False),
                Column("Singing", "singing", "bool", required=False),
                Column("Training for staff (CPD)", "cpd", "bool", required=False),
                Column("Curriculum support", "curriculum", "bool", required=False),
                Column("Instrument loan", "instrument_loan", "bool", required=False),
                Column("Large-scale experience", "large_scale", "bool", required=False),
            ),
            unique=("school",),
        ),
    ),
    RecordKind(
        key="loans",
        model=InstrumentLoans,
        label="Instruments on loan",
        form_fields=("to_pupils", "to_schools"),
        figure_fields=("to_pupils", "to_schools"),
        sheet=Sheet(
            "Instruments on loan",
            (
                Column("On loan to pupils", "to_pupils"),
                Column("On loan to schools", "to_schools"),
            ),
            # One count per partner and year, not one row per loan.
            max_rows=1,
        ),
        school=SchoolRule.NONE,
    ),
)

# Every kind by its key, in the order the pages, the spreadsheet and the API list them.
KINDS: dict[str, RecordKind] = {kind.key: kind for kind in _KINDS}
# The model of each kind, by key.
MODELS: dict[str, type[ParticipationRecord]] = {kind.key: kind.model for kind in _KINDS}


def kind_of(record: ParticipationRecord) -> RecordKind:
    """The kind a record is."""
    return next(kind for kind in _KINDS if isinstance(record, kind.model))
