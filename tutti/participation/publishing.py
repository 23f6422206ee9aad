"""Which years' figures a hub has published, and which figures the public sees."""

from typing import Any

from django.db import transaction

from tutti.core.audit import audit
from tutti.core.errors import DomainError
from tutti.core.years import year_label
from tutti.directory.models import Hub
from tutti.participation.figures import FIGURES, FIGURES_BY_KEY
from tutti.participation.models import Publication
from tutti.participation.selectors import years_with_records


class PublishingError(DomainError):
    """A publication the rules do not allow; the message is for the user."""


def publications(*, hub: Hub) -> dict[int, Publication]:
    """The hub's published years, newest first, in one query."""
    return {p.year: p for p in Publication.objects.filter(hub=hub).order_by("-year")}


def default_choice(*, hub: Hub, year: int) -> tuple[list[str], bool]:
    """What to offer when publishing a year: its current choice, else the nearest earlier
    year's, else every figure."""
    publication = Publication.objects.filter(hub=hub, year__lte=year).order_by("-year").first()
    if publication is None:
        return [f.key for f in FIGURES], True
    return list(publication.figures), publication.show_reach


@transaction.atomic
def publish(*, hub: Hub, year: int, figures: list[str], show_reach: bool, by: Any) -> Publication:
    """Publish a year's figures, or change which of them are public."""
    unknown = [key for key in figures if key not in FIGURES_BY_KEY]
    if unknown:
        raise PublishingError(f"There is no figure called {', '.join(unknown)}.")
    if not figures:
        raise PublishingError("Choose at least one figure to publish.")
    if year not in years_with_records(hub=hub):
        raise PublishingError(f"There are no records for {year_label(year)} to publish.")
    # Always in the order the figures are defined, whatever order they were chosen in.
    chosen = [f.key for f in FIGURES if f.key in figures]
    publication = Publication.objects.select_for_update().filter(hub=hub, year=year).first()
    before = list(publication.figures) if publication else []
    if publication is None:
        publication = Publication(hub=hub, year=year)
    publication.figures, publication.show_reach, publication.published_by = (
        chosen,
        show_reach,
        by,
    )
    publication.full_clean()
    publication.save()
    audit(
        "participation.figures.published",
        hub=hub,
        actor=by,
        obj=publication,
        year=year,
        figures=chosen,
        before=before,
        show_reach=show_reach,
    )
    return publication


@transaction.atomic
def withdraw(*, hub: Hub, year: int, by: Any) -> bool:
    """Take a year's figures off the public page; False if they were not published."""
    publication = Publication.objects.filter(hub=hub, year=year).first()
    if publication is None:
        return False
    audit(
        "participation.figures.withdrawn",
        hub=hub,
        actor=by,
        obj=publication,
        year=year,
        figures=list(publication.figures),
    )
    publication.delete()
    return True
