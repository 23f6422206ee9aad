import datetime as dt

import factory
from django.utils import timezone

from tutti.core.years import current_academic_year
from tutti.directory.tests.factories import OrganisationFactory
from tutti.participation.models import (
    Collection,
    Ensemble,
    EnsembleKind,
    EnsembleLevel,
    InstrumentFamily,
    InstrumentLoans,
    LessonType,
    SchoolSupport,
    SingingKind,
    SingingSupport,
    Submission,
    TuitionRecord,
    WcetProgramme,
)


class RecordFactory(factory.django.DjangoModelFactory):
    year = 2025
    partner = factory.SubFactory(OrganisationFactory, kind="music_service")


class WcetFactory(RecordFactory):
    class Meta:
        model = WcetProgramme

    year_groups = "Year 4"
    instruments = "Ukulele"
    pupils = 30
    weeks = 30
    lesson_minutes = 45
    continued = 10


class TuitionFactory(RecordFactory):
    class Meta:
        model = TuitionRecord

    family = InstrumentFamily.STRINGS
    lesson_type = LessonType.SMALL_GROUP
    pupils = 12
    fsm = 3
    send = 1
    looked_after = 0


class EnsembleFactory(RecordFactory):
    class Meta:
        model = Ensemble

    name = factory.Sequence(lambda n: f"Youth Ensemble {n}")
    kind = EnsembleKind.ORCHESTRA
    level = EnsembleLevel.INTERMEDIATE
    school = None
    members = 20
    fsm = 2
    send = 1
    looked_after = 0
    rehearsals = 30


class SingingFactory(RecordFactory):
    class Meta:
        model = SingingSupport

    kind = SingingKind.WHOLE_SCHOOL


class SchoolSupportFactory(RecordFactory):
    class Meta:
        model = SchoolSupport

    cpd = True


class LoansFactory(RecordFactory):
    class Meta:
        model = InstrumentLoans

    to_pupils = 100
    to_schools = 20


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    year = factory.LazyFunction(lambda: current_academic_year() - 1)
    deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    collection = factory.SubFactory(CollectionFactory)
    partner = factory.SubFactory(OrganisationFactory, kind="music_service")
