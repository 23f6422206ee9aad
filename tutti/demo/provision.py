"""The demo's music audits for this school year.

THE ANSWERS ARE GENERATED FOR THE DEMO, NOT REAL: no school told us any of this. About two in
three schools of each demo hub get an audit, drawn at random (from a fixed seed, so every
demo is the same) with plausible odds; the rest stay unknown, and a few of those have last
year's audit, so that their link opens with last year's answers filled in.
"""

import random

from tutti.directory.models import Hub, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.provision.models import Answer, SchoolAudit, academic_year

# Odds of yes / partly / no for each question, roughly as hubs report them.
ODDS = {
    "wcet": (60, 15, 25),
    "singing": (70, 20, 10),
    "choir": (55, 10, 35),
    "ensembles": (35, 25, 40),
    "tuition": (60, 15, 25),
    "send": (30, 35, 35),
    "mdp": (45, 30, 25),
}
COUNTS = {"choir": "choir_members", "ensembles": "ensemble_members", "tuition": "tuition_pupils"}


def _audit(rng: random.Random, hub: Hub, school_id: int, pupils: int, year: int) -> SchoolAudit:
    record = SchoolAudit(hub=hub, school_id=school_id, year=year)
    for question, weights in ODDS.items():
        answer = rng.choices([Answer.YES, Answer.PARTLY, Answer.NO], weights=weights)[0]
        setattr(record, question, answer)
        if question in COUNTS and answer != Answer.NO:
            setattr(record, COUNTS[question], rng.randint(4, max(5, pupils // 6)))
    if record.wcet != Answer.NO:
        record.wcet_details = rng.choice(
            ["Year 4, ukulele, 30 weeks", "Year 3, recorder, one term", "Year 4, samba, 20 weeks"]
        )
    return record


def load_provision(hubs: dict[str, Hub], today) -> None:
    year = academic_year(today)
    audits = []
    for hub in hubs.values():
        rng = random.Random(f"tutti-demo-provision-{hub.slug}")  # noqa: S311 (demo data, not security)
        schools = (
            hub_organisations(hub=hub)
            .filter(kind=OrganisationKind.SCHOOL, is_open=True)
            .order_by("pk")
            .values_list("pk", "pupils")
        )
        for school_id, pupils in schools:
            draw = rng.random()
            if draw < 0.65:
                audits.append(_audit(rng, hub, school_id, pupils or 200, year))
            elif draw < 0.75:
                audits.append(_audit(rng, hub, school_id, pupils or 200, year - 1))
    for record in audits:
        record.full_clean(exclude=["hub", "school"])
    SchoolAudit.objects.bulk_create(audits)
