"""UK postcodes: checking one, and placing it at the middle of its postcode district.

The districts' positions are shipped in ``data/postcode_districts_uk.csv`` (ONS Postcode
Directory, via Doogal): a partner is placed on the map to within a few kilometres from its
postcode alone, with nothing looked up on another site.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError

# The outward code (district) and the inward code, as Royal Mail writes them; BFPO and the
# like are not places a partner works from.
OUTCODE = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
FULL_POSTCODE = re.compile(rf"({OUTCODE})([0-9][A-Z]{{2}})")
DISTRICT = re.compile(OUTCODE)


@dataclass(frozen=True)
class District:
    code: str
    latitude: float
    longitude: float
    town: str


def clean_postcode(value: str) -> str:
    """The postcode written the standard way ("sn101ab" -> "SN10 1AB"), or a postcode
    district alone ("SN10"); ValidationError for anything else."""
    squashed = "".join(value.upper().split())
    if not squashed:
        return ""
    if match := FULL_POSTCODE.fullmatch(squashed):
        return f"{match[1]} {match[2]}"
    if DISTRICT.fullmatch(squashed):
        return squashed
    shown = value.strip() if len(value.strip()) <= 20 else value.strip()[:19] + "…"
    raise ValidationError(
        "“%(value)s” is not a UK postcode. Write it like SN10 1AB, or give just the district, "
        "like SN10.",
        code="invalid_postcode",
        params={"value": shown},
    )


@cache
def _districts() -> dict[str, District]:
    with open(settings.BASE_DIR / "data/postcode_districts_uk.csv", encoding="utf-8") as f:
        return {
            row["Postcode"]: District(
                code=row["Postcode"],
                latitude=float(row["Latitude"]),
                longitude=float(row["Longitude"]),
                town=row["Post Town"] or row["Town/Area"],
            )
            for row in csv.DictReader(f)
            if row["Latitude"] and row["Longitude"]
        }


def postcode_district(postcode: str) -> District | None:
    """The district of a postcode written the standard way, if the shipped list has it."""
    if not postcode:
        return None
    return _districts().get(postcode.split(" ")[0])
