"""The apps that hold people found by email, beyond accounts and bookings: one list, read by
the person page, the ZIP (both files), the erase page, the erasure and a person's own download.

Each app owns its reads and writes (``person_data``, ``person_erase_plan``, ``person_erase``);
privacy only calls them here. Adding an app: one ``Source`` below, and its tests.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tutti.competitions import selectors as competitions_selectors
from tutti.competitions import services as competitions_services
from tutti.core.personal_data import ErasurePlan
from tutti.cpd import selectors as cpd_selectors
from tutti.cpd import services as cpd_services
from tutti.directory.models import Hub
from tutti.loans import selectors as loans_selectors
from tutti.loans import services as loans_services
from tutti.newsletters import selectors as newsletters_selectors
from tutti.newsletters import services as newsletters_services
from tutti.programmes import selectors as programmes_selectors
from tutti.programmes import services as programmes_services
from tutti.transition import selectors as transition_selectors
from tutti.transition import services as transition_services


@dataclass(frozen=True)
class Source:
    key: str  # its key in person.json and in the erasure's audit entry
    label: str
    data: Callable[..., list[dict[str, Any]]]  # (hub=Hub | None, email=str)
    plan: Callable[..., ErasurePlan]  # (hub=Hub, email=str)
    erase: Callable[..., int]  # (hub=Hub, email=str, by=User | None)


SOURCES: tuple[Source, ...] = (
    Source(
        "newsletters",
        "Newsletter subscriptions",
        newsletters_selectors.person_data,
        newsletters_selectors.person_erase_plan,
        newsletters_services.person_erase,
    ),
    Source(
        "cpd_networks",
        "CPD network places",
        cpd_selectors.person_data,
        cpd_selectors.person_erase_plan,
        cpd_services.person_erase,
    ),
    Source(
        "instrument_requests",
        "Instrument requests and loans",
        loans_selectors.person_data,
        loans_selectors.person_erase_plan,
        loans_services.person_erase,
    ),
    Source(
        "competition_entries",
        "Competition entries",
        competitions_selectors.person_data,
        competitions_selectors.person_erase_plan,
        competitions_services.person_erase,
    ),
    Source(
        "passports",
        "Transition passports",
        transition_selectors.person_data,
        transition_selectors.person_erase_plan,
        transition_services.person_erase,
    ),
    Source(
        "programmes",
        "Programmes with schools",
        programmes_selectors.person_data,
        programmes_selectors.person_erase_plan,
        programmes_services.person_erase,
    ),
)


def sources_data(*, hub: Hub | None, email: str) -> dict[str, list[dict[str, Any]]]:
    """Each source's records about the person, leaving out the sources that hold none."""
    found = {source.key: source.data(hub=hub, email=email) for source in SOURCES}
    return {key: records for key, records in found.items() if records}


def sources_plans(*, hub: Hub, email: str) -> list[tuple[str, ErasurePlan]]:
    """What erasure will do in each source that holds the person, labelled."""
    plans = [(source.label, source.plan(hub=hub, email=email)) for source in SOURCES]
    return [(label, plan) for label, plan in plans if plan]


def sources_erase(*, hub: Hub, email: str, by: Any) -> dict[str, int]:
    """Erase the person from each source; how many records changed in each."""
    return {source.key: source.erase(hub=hub, email=email, by=by) for source in SOURCES}


def label_of(key: str) -> str:
    return next(source.label for source in SOURCES if source.key == key)
