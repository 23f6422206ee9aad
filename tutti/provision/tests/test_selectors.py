from decimal import Decimal

from tutti.clusters.tests.factories import ClusterMemberFactory
from tutti.directory.tests.factories import SchoolFactory
from tutti.participation.tests.factories import SingingFactory, WcetFactory
from tutti.provision import selectors
from tutti.provision.models import CoreRole, Status
from tutti.provision.tests.factories import SchoolAuditFactory, this_year


def _rows(world):
    return {r.name: r for r in selectors.school_provision(hub=world.hub, year=this_year())}


def test_statuses_come_from_the_audit_and_are_unknown_without_one(world):
    SchoolAuditFactory(
        hub=world.hub, school=world.school, wcet="yes", singing="partly", send="no", choir="yes"
    )
    SchoolFactory(name="Silent School", local_authority=world.la)
    rows = _rows(world)
    statuses = rows["Devizes Primary School"].statuses
    assert statuses[CoreRole.WCET] == Status.PROVIDED
    assert statuses[CoreRole.SINGING] == Status.PARTLY
    assert statuses[CoreRole.SEND] == Status.NOT_PROVIDED
    assert statuses[CoreRole.MDP] == Status.UNKNOWN
    # A choir is an ensemble.
    assert statuses[CoreRole.ENSEMBLES] == Status.PROVIDED
    assert set(rows["Silent School"].statuses.values()) == {Status.UNKNOWN}
    assert "Ely Primary School" not in rows  # the other hub's school


def test_last_years_audit_does_not_count_this_year(world):
    SchoolAuditFactory(hub=world.hub, school=world.school, year=this_year() - 1, wcet="yes")
    assert _rows(world)["Devizes Primary School"].statuses[CoreRole.WCET] == Status.UNKNOWN


def test_participation_records_count_as_provision(world):
    """A school with WCET records but no audit shows WCET as provided."""
    WcetFactory(hub=world.hub, school=world.school, year=this_year())
    WcetFactory(hub=world.hub, school=world.school, year=this_year() - 1)
    SingingFactory(hub=world.other_hub, school=world.school, year=this_year())  # another hub's
    statuses = _rows(world)["Devizes Primary School"].statuses
    assert statuses[CoreRole.WCET] == Status.PROVIDED
    assert statuses[CoreRole.SINGING] == Status.UNKNOWN


def test_a_record_outweighs_an_audit_that_says_no(world):
    SchoolAuditFactory(hub=world.hub, school=world.school, year=this_year(), wcet="no")
    WcetFactory(hub=world.hub, school=world.school, year=this_year())
    assert _rows(world)["Devizes Primary School"].statuses[CoreRole.WCET] == Status.PROVIDED


def _school(world, name, pupils, fsm, wcet=""):
    school = SchoolFactory(
        name=name, local_authority=world.la, pupils=pupils, percent_fsm=Decimal(fsm)
    )
    if wcet:
        SchoolAuditFactory(hub=world.hub, school=school, wcet=wcet)
    return school


def test_ranking_follows_its_stated_rule(world):
    world.school.delete()
    # Not provided: 200 pupils at 50% FSM scores 300 and beats 250 pupils at 10% (275).
    _school(world, "Big Low FSM", 250, "10.0", wcet="no")
    _school(world, "Smaller High FSM", 200, "50.0", wcet="no")
    # Partly, however big, comes after every "no".
    _school(world, "Huge Partly", 1500, "40.0", wcet="partly")
    # Unknown comes last; provided is left out.
    _school(world, "Huge Unknown", 2000, "60.0")
    _school(world, "Provided", 900, "30.0", wcet="yes")
    # Same score: by name.
    _school(world, "Alpha Tie", 100, "0.0", wcet="no")
    _school(world, "Beta Tie", 100, "0.0", wcet="no")
    ranking = selectors.gap_ranking(rows=_rows(world).values(), role=CoreRole.WCET)
    assert [r.name for r in ranking] == [
        "Smaller High FSM",
        "Big Low FSM",
        "Alpha Tie",
        "Beta Tie",
        "Huge Partly",
        "Huge Unknown",
    ]
    assert [round(r.gap_score) for r in ranking[:2]] == [300, 275]


def test_the_rule_on_the_page_matches_the_example_in_the_code():
    assert "each disadvantaged pupil counts twice" in selectors.RANKING_RULE
    assert "score 300" in selectors.RANKING_RULE and "(275)" in selectors.RANKING_RULE


def test_counts_by_cluster_and_local_authority(world):
    lacking = _school(world, "No Singing School", 100, "10.0")
    SchoolAuditFactory(hub=world.hub, school=lacking, singing="no", send="no")
    ClusterMemberFactory(cluster=world.cluster, organisation=lacking)
    SchoolAuditFactory(hub=world.hub, school=world.school, singing="yes", send="no")
    _school(world, "Loner", 50, "0.0")  # in no cluster
    rows = _rows(world).values()
    clusters = {g.name: g for g in selectors.provision_counts(rows=rows, by="cluster")}
    assert list(clusters) == ["Devizes area", "No cluster"]
    devizes = clusters["Devizes area"]
    assert devizes.schools == 2
    assert devizes.count(CoreRole.SINGING, Status.NOT_PROVIDED) == 1
    assert devizes.count(CoreRole.SEND, Status.NOT_PROVIDED) == 2
    roles = CoreRole.values
    assert devizes.lacking()[roles.index(CoreRole.SEND)] == 2
    authorities = selectors.provision_counts(rows=rows, by="local_authority")
    assert [(g.name, g.schools) for g in authorities] == [("Wiltshire", 3)]
    coverage = selectors.coverage_by_group(groups=[devizes], role=CoreRole.SINGING)
    assert (coverage[0].provided, coverage[0].percent) == (1, 50)


def _bare(name, phase, pupils, fsm, status=Status.NOT_PROVIDED):
    return selectors.SchoolProvision(
        pk=0,
        name=name,
        phase=phase,
        pupils=pupils,
        percent_fsm=fsm,
        latitude=None,
        longitude=None,
        local_authority="",
        statuses={CoreRole.WCET: status},
    )


def test_a_missing_number_counts_as_the_median_of_its_phase():
    rows = [
        _bare("Primary A", "Primary", 100, 10.0),
        _bare("Primary B", "Primary", 200, 30.0),
        _bare("Primary C", "Primary", 400, 20.0),
        _bare("Secondary A", "Secondary", 1000, 5.0),
        # Left out of the list, but still one of the primaries the median is taken from.
        _bare("Provided", "Primary", 300, 20.0, status=Status.PROVIDED),
        # No census number: counts as 250 pupils (the primaries' median), at its own 60%.
        _bare("New Primary", "Primary", None, 60.0),
        # No FSM either: 250 pupils at 20% (the primaries' medians): 300, a tie broken by name.
        _bare("Unknown Primary", "Primary", None, None),
        # No school of its phase has a number: the median of all the schools (300).
        _bare("A College", "College", None, 0.0),
    ]
    ranking = selectors.gap_ranking(rows=rows, role=CoreRole.WCET)
    assert [(r.name, round(r.gap_score)) for r in ranking] == [
        ("Secondary A", 1050),
        ("Primary C", 480),
        ("New Primary", 400),
        ("A College", 300),
        ("Unknown Primary", 300),
        ("Primary B", 260),
        ("Primary A", 110),
    ]
    new = next(r for r in ranking if r.name == "New Primary")
    assert (new.pupils, new.estimated_pupils, new.estimated_fsm) == (None, 250, None)
    unknown = next(r for r in ranking if r.name == "Unknown Primary")
    assert (unknown.estimated_pupils, unknown.estimated_fsm) == (250, 20.0)


def test_the_page_says_where_the_numbers_come_from():
    rows = [
        _bare("A", "Primary", 100, 10.0),
        _bare("B", "Primary", 200, 10.0),
        _bare("C", "Primary", None, 10.0),
    ]
    rows[0].pupils_census = rows[1].pupils_census = "January 2023"
    rows[1].pupils_from_predecessor = True
    assert selectors.pupils_source(rows=rows) == (
        "Numbers of pupils come from the Department for Education's school census of "
        "January 2023. For 1 school opened since (most of them academies), the number is that "
        "of the school it replaced. 1 school has no number."
    )
    assert "median" in selectors.RANKING_RULE and "“about”" in selectors.RANKING_RULE
