"""The demo's music audits for this school year.

THE ANSWERS ARE GENERATED FOR THE DEMO, NOT REAL: no school told us any of this. About two in
three schools of each demo hub get an audit, drawn at random (from a fixed seed, so every
demo is the same) with plausible odds; the rest stay unknown, and a few of those have last
year's audit, so that their link opens with last year's answers filled in.
"""

import random

from tutti.core.years import academic_year_for
from tutti.directory.models import Hub, OrganisationKind
from tutti.directory.selectors import hub_organisations
from tutti.provision.models import Answer, Barrier, CpdTopic, SchoolAudit

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


def _audit(
    rng: random.Random, hub: Hub, school_id: int, pupils: int, year: int, phase: str = ""
) -> SchoolAudit:
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
    _details(record, phase)
    return record


def _details(record: SchoolAudit, phase: str) -> None:
    """The detail questions, from their own seed so the answers above stay as they were."""
    rng = random.Random(f"tutti-demo-audit-details-{record.school_id}-{record.year}")  # noqa: S311
    secondary = "secondary" in phase.lower()
    for field in ("ks3_minutes", "ks4_minutes") if secondary else ("ks1_minutes", "ks2_minutes"):
        setattr(record, field, rng.choice([30, 40, 45, 60]))
    if record.wcet != Answer.NO:
        record.wcet_year_group = rng.choice(["Year 3", "Year 4"])
        record.wcet_instrument = rng.choice(["Ukulele", "Recorder", "Samba drums", "Violin"])
        record.wcet_weeks = rng.choice([10, 20, 30])
    if record.send != Answer.NO:
        record.send_adaptive_instruments = rng.random() < 0.4
        record.send_specialist_partners = rng.random() < 0.3
        record.send_inclusive_ensembles = rng.random() < 0.3
    record.cpd_wanted = sorted(rng.sample(CpdTopic.values, rng.randint(0, 3)))
    record.barriers = sorted(rng.sample(Barrier.values, rng.randint(1, 3)))


def load_provision(hubs: dict[str, Hub], today) -> None:
    year = academic_year_for(today)
    audits = []
    for hub in hubs.values():
        rng = random.Random(f"tutti-demo-provision-{hub.slug}")  # noqa: S311 (demo data, not security)
        schools = (
            hub_organisations(hub=hub)
            .filter(kind=OrganisationKind.SCHOOL, is_open=True)
            .order_by("pk")
            .values_list("pk", "pupils", "phase")
        )
        for school_id, pupils, phase in schools:
            draw = rng.random()
            if draw < 0.65:
                audits.append(_audit(rng, hub, school_id, pupils or 200, year, phase or ""))
            elif draw < 0.75:
                audits.append(_audit(rng, hub, school_id, pupils or 200, year - 1, phase or ""))
    for record in audits:
        record.full_clean(exclude=["hub", "school"])
    SchoolAudit.objects.bulk_create(audits)
