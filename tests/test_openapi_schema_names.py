"""Two schemas of the same name would share one entry of the OpenAPI document, so one operation
would be documented (and checked by the schemathesis tests) with the other's shape."""

from collections import Counter

from ninja import Schema

import config.api  # noqa: F401 - registers every router and so imports every schema


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


def test_every_api_schema_of_ours_has_its_own_name():
    ours = [s for s in _subclasses(Schema) if s.__module__.startswith(("tutti.", "config."))]
    repeated = {name: n for name, n in Counter(s.__name__ for s in ours).items() if n > 1}
    assert repeated == {}
