"""The instrument types a hub's store lends, each declared once, here.

Every form, import, queue, fee and figure reads this table. To add a type: add an
``InstrumentType`` to ``TYPES`` with a new key (never reuse or rename a key: stored instruments,
requests and fees name it), its family and the sizes it comes in ("" when it has no sizes).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class InstrumentType:
    key: str
    label: str
    family: str
    sizes: tuple[str, ...] = ()


FAMILIES: dict[str, str] = {
    "strings": "Strings",
    "woodwind": "Woodwind",
    "brass": "Brass",
    "guitar": "Guitars and ukuleles",
    "keyboard": "Keyboards",
    "percussion": "Percussion",
    "adapted": "Adapted and assistive instruments",
}

STRING_SIZES = ("1/16", "1/10", "1/8", "1/4", "1/2", "3/4", "7/8", "4/4")

TYPES: list[InstrumentType] = [
    InstrumentType("violin", "Violin", "strings", STRING_SIZES),
    InstrumentType("viola", "Viola", "strings", ('12"', '13"', '14"', '15"', '15.5"', '16"')),
    InstrumentType("cello", "Cello", "strings", ("1/8", "1/4", "1/2", "3/4", "4/4")),
    InstrumentType("double-bass", "Double bass", "strings", ("1/4", "1/2", "3/4")),
    InstrumentType("flute", "Flute", "woodwind", ("curved head", "straight head")),
    InstrumentType("clarinet", "Clarinet", "woodwind", ("C", "B flat")),
    InstrumentType("saxophone", "Saxophone", "woodwind", ("alto", "tenor", "baritone")),
    InstrumentType("oboe", "Oboe", "woodwind"),
    InstrumentType("trumpet", "Trumpet", "brass"),
    InstrumentType("cornet", "Cornet", "brass"),
    InstrumentType("trombone", "Trombone", "brass", ("tenor", "bass", "plastic")),
    InstrumentType("euphonium", "Euphonium", "brass"),
    InstrumentType("tuba", "Tuba", "brass"),
    InstrumentType("french-horn", "French horn", "brass", ("single", "double")),
    InstrumentType("guitar", "Guitar", "guitar", ("1/4", "1/2", "3/4", "4/4")),
    InstrumentType("ukulele", "Ukulele", "guitar", ("soprano", "concert", "tenor")),
    InstrumentType("keyboard", "Keyboard", "keyboard"),
    InstrumentType("drum-kit", "Drum kit", "percussion"),
    InstrumentType("percussion", "Percussion set", "percussion"),
    InstrumentType("adapted", "Adapted or assistive instrument", "adapted"),
]

TYPES_BY_KEY: dict[str, InstrumentType] = {t.key: t for t in TYPES}
TYPE_CHOICES: list[tuple[str, str]] = [(t.key, t.label) for t in TYPES]
FAMILY_CHOICES: list[tuple[str, str]] = list(FAMILIES.items())


def type_label(key: str) -> str:
    kind = TYPES_BY_KEY.get(key)
    return kind.label if kind else key


def type_and_size(key: str, size: str) -> str:
    return f"{type_label(key)} {size}".strip()


def family_of(key: str) -> str:
    kind = TYPES_BY_KEY.get(key)
    return kind.family if kind else ""


def type_for_label(text: str) -> InstrumentType | None:
    """The type named by its key or its label, in any case, as a spreadsheet may name it."""
    wanted = text.strip().lower()
    for kind in TYPES:
        if wanted in (kind.key, kind.label.lower()):
            return kind
    return None
