import secrets
from datetime import date, timedelta

import factory
from django.utils import timezone

from tutti.competitions.models import (
    Adjudicator,
    Category,
    Competition,
    Criterion,
    Entry,
    Piece,
)
from tutti.competitions.services import entrant_key, token_hash


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"Young Musician {n}")
    slug = factory.Sequence(lambda n: f"young-musician-{n}")
    age_on = factory.LazyFunction(lambda: date(timezone.localdate().year, 8, 31))
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    published = True
    max_video_minutes = 1
    max_video_mb = 5


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"Strings {n}")
    min_age = 8
    max_age = 18


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    competition = factory.LazyAttribute(lambda o: o.category.competition)
    number = factory.Sequence(lambda n: n + 1)
    first_name = factory.Sequence(lambda n: f"Ava{n}")
    last_name = "Example"
    date_of_birth = factory.LazyFunction(lambda: date(timezone.localdate().year - 12, 3, 1))
    entrant_key = factory.LazyAttribute(
        lambda o: entrant_key(o.first_name, o.last_name, o.date_of_birth)
    )
    home_educated = True
    lives_in_area = True
    contact_name = "Pat Example"
    contact_email = factory.Sequence(lambda n: f"parent{n}@example.org")
    consent_judged_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def pieces(self, create, extracted, **kwargs):
        if create:
            Piece.objects.create(entry=self, title="Sonata in G", composer="Telemann")


class AdjudicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adjudicator
        skip_postgeneration_save = True

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"Adjudicator {n}")
    email = factory.Sequence(lambda n: f"judge{n}@example.org")
    token_hash = factory.LazyFunction(lambda: token_hash(secrets.token_urlsafe(16)))
    accepted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)
