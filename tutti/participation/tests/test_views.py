import csv
import io
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tutti.core.years import current_academic_year
from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.participation.figures import FIGURES, compute_figures, load_year
from tutti.participation.models import Publication, TuitionRecord, WcetProgramme
from tutti.participation.returns import NOT_AT_A_SCHOOL, SCHOOL_COLUMNS
from tutti.participation.tests.factories import (
    EnsembleFactory,
    LoansFactory,
    SchoolSupportFactory,
    SingingFactory,
    TuitionFactory,
    WcetFactory,
)

LAST_YEAR = current_academic_year() - 1


@pytest.fixture
def year(world):
    """A small year: two partners, some schools shared between them, a centre, an area choir."""
    second = OrganisationFactory(name="Second Partner", hub=world.hub)
    schools = [world.school, *(SchoolFactory(local_authority=world.la) for _ in range(4))]
    for partner in (world.partner, second):
        WcetFactory(hub=world.hub, partner=partner, school=schools[0], pupils=28, continued=7)
        TuitionFactory(hub=world.hub, partner=partner, school=schools[1], pupils=9, fsm=2)
        SingingFactory(hub=world.hub, partner=partner, school=schools[2])
    TuitionFactory(hub=world.hub, partner=second, school=None, centre="Devizes Music Centre")
    EnsembleFactory(hub=world.hub, partner=world.partner, members=31)
    EnsembleFactory(hub=world.hub, partner=second, school=schools[3], members=14)
    SchoolSupportFactory(hub=world.hub, partner=second, school=schools[4], progression=True)
    LoansFactory(hub=world.hub, partner=world.partner, to_pupils=70, to_schools=5)
    WcetFactory(hub=world.other_hub, school=world.other_school)
    return 2025


def test_impact_page_shows_each_figure_with_its_definition(client, world, year):
    Publication.objects.create(hub=world.hub, year=2025, figures=[f.key for f in FIGURES])
    response = client.get("/wiltshire/impact/?year=2025")
    assert response.status_code == 200
    figures = {f.figure.key: f.value for f in response.context["figures"]}
    assert figures["wcet-pupils"] == 56
    assert figures["wcet-schools"] == 1
    assert figures["schools-engaged"] == 5
    assert figures["pupils-taught"] == 30
    html = response.content.decode()
    assert "Each school is counted once, however many partners work with it." in html
    assert "From the national register of schools" in html
    assert "2025/26" in html
    # The public see the figures, not the records behind them.
    assert "/manage/participation/figures/" not in html


def test_staff_follow_a_figure_to_its_records(client_for, world, year):
    client = client_for("staff")
    html = client.get("/wiltshire/impact/?year=2025").content.decode()
    assert "/wiltshire/manage/participation/figures/wcet-pupils/?year=2025" in html
    response = client.get("/wiltshire/manage/participation/figures/wcet-pupils/?year=2025")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wiltshire Music Centre" in html and "Second Partner" in html
    assert "Devizes Primary School" in html


def test_the_registers_schools_are_listed_behind_that_figure(client_for, world, year):
    html = (
        client_for("admin")
        .get("/wiltshire/manage/participation/figures/schools-in-area/?year=2025")
        .content.decode()
    )
    assert "126000" in html and "Ely Primary" not in html


def test_unknown_figure_or_year_is_404(client_for, world):
    client = client_for("staff")
    assert client.get("/wiltshire/manage/participation/figures/nope/").status_code == 404
    assert client.get("/wiltshire/impact/?year=soon").status_code == 404


def test_partner_cannot_see_the_records_behind_figures(client_for, world, year):
    response = client_for("partner").get("/wiltshire/manage/participation/figures/wcet-pupils/")
    assert response.status_code == 403


def test_other_hubs_staff_get_404(client_for, world, year):
    client = client_for("outsider")
    for url in (
        "/wiltshire/manage/participation/",
        "/wiltshire/manage/participation/figures/wcet-pupils/",
        "/wiltshire/manage/participation/return.xlsx",
    ):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("extra", [1, 15])
def test_impact_page_queries_do_not_grow_with_records_or_years(
    client, client_for, world, year, django_assert_num_queries, extra
):
    for n in range(extra):
        school = SchoolFactory(local_authority=world.la)
        WcetFactory(hub=world.hub, school=school, year=2025 - n % 5)
        TuitionFactory(hub=world.hub, school=school, year=2025 - n % 5)
        Publication.objects.get_or_create(hub=world.hub, year=2025 - n % 5)
    # The hub, its publications, every kind of record and their partners (five years at once,
    # in one query), the schools and their clusters, and the instrument library's loans.
    with django_assert_num_queries(5):
        assert client.get("/wiltshire/impact/?year=2025").status_code == 200
    # Staff: also the session, the user, the membership and the years with records.
    staff = client_for("staff")
    with django_assert_num_queries(9):
        assert staff.get("/wiltshire/impact/?year=2025").status_code == 200


def _schools_sheet(client):
    response = client.get("/wiltshire/manage/participation/return.xlsx?year=2025")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Schools", "WCET", "Figures"]
    header, *rows = list(book["Schools"].values)
    assert list(header) == SCHOOL_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows], book


def _assert_totals_equal_figures(rows, figures):
    """Every figure the Schools sheet can give, added up from its rows, equals the page's."""

    def yes(column):
        return sum(1 for r in rows if r[column] == "Yes")

    def total(column):
        return sum(int(r[column] or 0) for r in rows)

    assert yes("Open") == figures["schools-in-area"]
    assert yes("Engaged on a core role") == figures["schools-engaged"]
    assert yes("Instrumental or vocal teaching") == figures["schools-teaching"]
    assert yes("Core role: singing") == figures["schools-singing"]
    assert yes("Supported to deliver regular music") == figures["schools-supported"]
    assert sum(1 for r in rows if int(r["WCET programmes"] or 0)) == figures["wcet-schools"]
    assert total("WCET pupils") == figures["wcet-pupils"]
    assert total("Tuition pupils") == figures["pupils-taught"]
    assert total("Ensemble members") == figures["ensemble-members"]
    assert (
        total("WCET pupils") + total("Tuition pupils") + total("Ensemble members")
        == (figures["pupils-weekly"])
    )


def test_the_data_returns_totals_equal_the_impact_pages_figures(client_for, world, year):
    client = client_for("staff")
    page = client.get("/wiltshire/impact/?year=2025").context["figures"]
    figures = {f.figure.key: f.value for f in page}
    rows, book = _schools_sheet(client)
    _assert_totals_equal_figures(rows, figures)
    assert rows[-1]["School"] == NOT_AT_A_SCHOOL
    _, *wcet = list(book["WCET"].values)
    assert len(wcet) == WcetProgramme.objects.filter(hub=world.hub, year=2025).count()
    pupils = sum(r[5] for r in wcet)
    assert round(100 * sum(r[8] for r in wcet) / pupils) == figures["wcet-continuation"]
    listed = {label: value for label, value, _ in list(book["Figures"].values)[1:]}
    assert listed == {f.figure.label: f.value for f in page}


def test_csv_is_the_schools_sheet(client_for, world, year):
    client = client_for("admin")
    response = client.get("/wiltshire/manage/participation/return.csv?year=2025")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == SCHOOL_COLUMNS
    data = load_year(hub=world.hub, year=2025)
    assert len(rows) - 2 == len(data.schools)
    assert sum(int(r[SCHOOL_COLUMNS.index("WCET pupils")]) for r in rows[1:]) == next(
        f.value for f in compute_figures(data) if f.figure.key == "wcet-pupils"
    )


WCET_POST = {
    "year": str(LAST_YEAR),
    "urn": "126000",
    "year_groups": "Year 4",
    "instruments": "Violin",
    "pupils": "30",
    "weeks": "33",
    "lesson_minutes": "45",
    "continued": "12",
}


def test_staff_add_a_record_and_the_figure_changes(client_for, world):
    client = client_for("staff")
    response = client.post(
        "/wiltshire/manage/participation/new/wcet/", WCET_POST | {"partner": world.partner.pk}
    )
    assert response.status_code == 302
    page = client.get(f"/wiltshire/impact/?year={LAST_YEAR}").context["figures"]
    assert {f.figure.key: f.value for f in page}["wcet-pupils"] == 30


def test_partner_staff_add_records_for_their_own_organisation_only(client_for, world):
    other = OrganisationFactory(name="Not Theirs", hub=world.hub)
    client = client_for("partner")
    url = "/wiltshire/manage/participation/new/wcet/"
    assert client.post(url, WCET_POST | {"partner": other.pk}).status_code == 400
    assert not WcetProgramme.objects.exists()
    assert client.post(url, WCET_POST | {"partner": world.partner.pk}).status_code == 302
    assert WcetProgramme.objects.get().partner == world.partner


def test_coordinator_cannot_add_records(client_for, world):
    response = client_for("coordinator").post(
        "/wiltshire/manage/participation/new/wcet/", WCET_POST | {"partner": world.partner.pk}
    )
    assert response.status_code == 403
    assert not WcetProgramme.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"continued": "31"}, "continued"),
        ({"urn": "110000"}, "There is no school with URN 110000 in this hub"),
        ({"urn": "999999"}, "There is no school with URN 999999"),
        ({"pupils": "-3"}, "greater than or equal to 0"),
        ({"pupils": "lots"}, "Enter a whole number"),
        ({"year": "1999"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_400_with_a_message_and_nothing_is_written(client_for, world, change, message):
    response = client_for("staff").post(
        "/wiltshire/manage/participation/new/wcet/",
        WCET_POST | {"partner": world.partner.pk} | change,
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WcetProgramme.objects.exists()


def test_tuition_needs_a_school_or_a_centre_and_fsm_within_pupils(client_for, world):
    client = client_for("staff")
    post = {
        "year": str(LAST_YEAR),
        "partner": world.partner.pk,
        "family": "brass",
        "lesson_type": "individual",
        "pupils": "5",
        "fsm": "6",
        "send": "0",
        "looked_after": "0",
    }
    response = client.post("/wiltshire/manage/participation/new/tuition/", post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the school&#x27;s URN or the centre&#x27;s name." in html
    assert not TuitionRecord.objects.exists()
    post |= {"fsm": "2", "centre": "Trowbridge Music Centre"}
    assert client.post("/wiltshire/manage/participation/new/tuition/", post).status_code == 302
    assert TuitionRecord.objects.get().place == "Trowbridge Music Centre"


def test_unknown_kind_of_record_is_404(client_for, world):
    assert client_for("staff").get("/wiltshire/manage/participation/new/nope/").status_code == 404


def test_manage_page_shows_partner_staff_only_their_own_records(client_for, world, year):
    html = client_for("partner").get("/wiltshire/manage/participation/?year=2025")
    html = html.content.decode()
    assert "Wiltshire Music Centre" in html
    assert "Second Partner" not in html
    assert "Download the data return" not in html


def test_libreoffice_opens_the_data_return(client_for, world, year, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        reason = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"
        if os.environ.get("TUTTI_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"TUTTI_REQUIRE_LIBREOFFICE=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    response = client_for("staff").get("/wiltshire/manage/participation/return.xlsx?year=2025")
    book = tmp_path / "return.xlsx"
    book.write_bytes(response.content)
    # A profile of its own, so a LibreOffice already open elsewhere does not take the job.
    subprocess.run(  # noqa: S603 - our own file and the soffice found on PATH
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(book),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    # The first sheet, as LibreOffice read it: the same header and one row per school.
    rows = list(csv.reader((tmp_path / "return.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == SCHOOL_COLUMNS
    expected, _ = _schools_sheet(client_for("staff"))
    assert len(rows) - 1 == len(expected)
    # ...and its totals, as LibreOffice read them, are the impact page's figures.
    read = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    page = client_for("staff").get("/wiltshire/impact/?year=2025").context["figures"]
    _assert_totals_equal_figures(read, {f.figure.key: f.value for f in page})
