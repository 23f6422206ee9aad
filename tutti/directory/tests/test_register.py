import csv
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tutti.core.models import AuditLog
from tutti.directory.models import LocalAuthority, Organisation, OrganisationKind
from tutti.directory.register import RowError, register_import
from tutti.directory.tests.factories import LocalAuthorityFactory, SchoolFactory

DATA = Path(__file__).parent / "data"
LEEDS = DATA / "gias_leeds_2023-07.csv"
HAMPSHIRE_SURREY = DATA / "gias_hampshire_surrey_primary_2022-04.csv"
NATIONAL = Path(__file__).resolve().parents[3] / "data" / "england_schools_2026-06.csv"

pytestmark = pytest.mark.django_db


def make_csv(header: list[str], *rows: list[str], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def national_slice(count: int) -> bytes:
    rows = read_rows(NATIONAL)
    return make_csv(rows[0], *rows[1 : count + 1])


def school_writes(queries: list[dict]) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and ("directory_organisation" in q["sql"] or "directory_localauthority" in q["sql"])
    ]


def test_imports_the_leeds_extract_converting_easting_northing():
    report = register_import(data=LEEDS.read_bytes())

    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated) == (771, 771, 0)
    assert Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count() == 771
    guiseley = Organisation.objects.get(urn=107809)
    assert guiseley.name == "Guiseley Primary School"
    # Easting 419098, Northing 442258: Guiseley, north-west of Leeds (53.8, -1.55).
    assert guiseley.latitude == pytest.approx(53.876, abs=0.01)
    assert guiseley.longitude == pytest.approx(-1.713, abs=0.01)
    assert abs(guiseley.latitude - 53.8) < 0.2 and abs(guiseley.longitude + 1.55) < 0.2
    assert guiseley.local_authority.code == "383"
    assert guiseley.local_authority.name == "Leeds"
    assert guiseley.local_authority.gss_code == "E08000035"
    assert (guiseley.pupils, guiseley.percent_fsm) == (467, Decimal("12.0"))
    assert guiseley.register_updated_at is not None
    # The rows without a grid reference have no position rather than a wrong one.
    assert Organisation.objects.filter(latitude__isnull=True).count() == 9


def test_closed_schools_in_an_extract_are_marked_closed_with_their_date():
    report = register_import(data=LEEDS.read_bytes())

    assert report.closed == 465
    assert Organisation.objects.filter(is_open=False).count() == 465
    hunslet = Organisation.objects.get(urn=107806)
    assert not hunslet.is_open
    assert hunslet.closed_on == date(1998, 8, 31)
    assert hunslet.address == "Sussex Gardens, Off Low Road"


def test_imports_the_hampshire_surrey_extract():
    report = register_import(data=HAMPSHIRE_SURREY.read_bytes())

    assert report.ok, report.errors
    assert (report.rows, report.created) == (1096, 1096)
    assert dict(LocalAuthority.objects.values_list("code", "name")) == {
        "850": "Hampshire",
        "936": "Surrey",
    }
    alton = Organisation.objects.get(urn=115850)
    assert alton.name == "Alton Infant School"
    assert alton.kind == OrganisationKind.SCHOOL
    assert alton.establishment_type == "Community school"
    assert alton.phase == "Primary"
    assert (alton.address, alton.town, alton.postcode) == ("Normandy Street", "Alton", "GU34 1DH")
    assert alton.website == "https://www.alton-inf.hants.sch.uk"
    assert alton.phone == "0142083857"
    assert (alton.pupils, alton.percent_fsm) == (138, Decimal("21.7"))
    assert alton.latitude == pytest.approx(51.15, abs=0.01)
    assert alton.longitude == pytest.approx(-0.97, abs=0.01)
    assert alton.is_open and alton.closed_on is None
    # "Open, but proposed to close" is still open.
    assert Organisation.objects.filter(is_open=True).count() == 728


def test_second_import_of_the_same_file_changes_nothing(django_assert_max_num_queries):
    register_import(data=HAMPSHIRE_SURREY.read_bytes())
    stamps = dict(Organisation.objects.values_list("urn", "updated_at"))

    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(10):
        report = register_import(data=HAMPSHIRE_SURREY.read_bytes())

    assert report.ok
    assert (report.created, report.updated, report.unchanged, report.closed) == (0, 0, 1096, 0)
    assert school_writes(queries.captured_queries) == []
    assert dict(Organisation.objects.values_list("urn", "updated_at")) == stamps


def test_a_second_import_of_a_large_file_changes_nothing():
    # Over a thousand rows: the import reads every school in one query to compare.
    elsewhere = SchoolFactory(urn=990001)
    register_import(data=national_slice(1500))
    stamps = dict(Organisation.objects.values_list("urn", "updated_at"))
    registered = dict(Organisation.objects.values_list("urn", "register_updated_at"))

    report = register_import(data=national_slice(1500))

    assert report.ok, report.errors[:5]
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1500)
    assert dict(Organisation.objects.values_list("urn", "updated_at")) == stamps
    assert dict(Organisation.objects.values_list("urn", "register_updated_at")) == registered
    assert registered[elsewhere.urn] is None


def test_a_changed_name_is_updated_and_only_that_school_is_touched():
    register_import(data=national_slice(1200))
    rows = read_rows(NATIONAL)[:1201]
    renamed = rows[600]
    urn = int(renamed[0])
    renamed[1] = "The Renamed School"
    before = {o.urn: o for o in Organisation.objects.all()}
    school = before[urn]
    school.website = "https://renamed.example"  # filled in by hand; the file has no website
    school.save(update_fields=["website"])
    school.refresh_from_db()

    report = register_import(data=make_csv(rows[0], *rows[1:]))

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1199)
    after = {o.urn: o for o in Organisation.objects.all()}
    changed = after.pop(urn)
    assert changed.name == "The Renamed School"
    assert changed.updated_at > school.updated_at
    assert changed.register_updated_at > school.register_updated_at
    for name in ("website", "postcode", "percent_fsm", "latitude", "local_authority_id"):
        assert getattr(changed, name) == getattr(school, name)
    assert changed.created_at == school.created_at
    assert {u: o.updated_at for u, o in after.items()} == {
        u: o.updated_at for u, o in before.items() if u != urn
    }


def test_a_new_school_gets_the_defaults_for_what_its_row_does_not_say():
    data = make_csv(["URN", "EstablishmentName"], ["100001", "Bare School"])

    report = register_import(data=data)

    assert report.created == 1
    school = Organisation.objects.get(urn=100001)
    assert (school.kind, school.name, school.is_open, school.listed_publicly) == (
        OrganisationKind.SCHOOL,
        "Bare School",
        True,
        True,
    )
    assert (school.address, school.website, school.description, school.email) == ("", "", "", "")
    assert (school.latitude, school.pupils, school.percent_fsm, school.closed_on) == (
        None,
        None,
        None,
        None,
    )
    assert school.local_authority is None
    assert school.register_updated_at is not None


def test_new_and_changed_schools_of_one_file_are_written_together():
    kept = SchoolFactory(urn=100001, name="Old Name", website="https://old.example", pupils=90)
    data = make_csv(
        ["URN", "EstablishmentName", "NumberOfPupils", "CloseDate", "EstablishmentStatus (name)"],
        ["100001", "New Name", "", "31-08-2024", "Closed"],
        ["100002", "Brand New", "120", "", "Open"],
        ["100003", "Also New", "", "", ""],
    )

    report = register_import(data=data)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.closed) == (2, 1, 1)
    kept.refresh_from_db()
    assert (kept.name, kept.website, kept.pupils) == ("New Name", "https://old.example", 90)
    assert (kept.is_open, kept.closed_on) == (False, date(2024, 8, 31))
    brand_new = Organisation.objects.get(urn=100002)
    assert (brand_new.pupils, brand_new.is_open, brand_new.closed_on) == (120, True, None)
    assert Organisation.objects.get(urn=100003).name == "Also New"


def test_updating_many_schools_takes_a_few_queries(django_assert_max_num_queries):
    register_import(data=national_slice(300))
    rows = read_rows(NATIONAL)[:301]
    for row in rows[1:]:
        row[1] += " Academy"
        row[9] = "50"

    with django_assert_max_num_queries(20):
        report = register_import(data=make_csv(rows[0], *rows[1:]))

    assert (report.updated, report.unchanged) == (300, 0)
    assert Organisation.objects.filter(name__endswith=" Academy", percent_fsm=50).count() == 300


def test_reads_a_windows_1252_file():
    rows = read_rows(NATIONAL)
    slice_ = [row for row in rows[1:] if "à Becket" in row[1]]
    assert len(slice_) == 2
    data = make_csv(rows[0], *slice_, *rows[1:50], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    report = register_import(data=data)

    assert report.ok, report.errors
    assert report.created == 51
    assert Organisation.objects.get(urn=149557).name == (
        "St Thomas à Becket Church of England Aided Primary School"
    )


def test_reads_utf8_with_a_byte_order_mark():
    data = "\ufeffURN,EstablishmentName\n100000,Ecole Française de Londres\n".encode()

    report = register_import(data=data)

    assert report.ok, report.errors
    assert Organisation.objects.get(urn=100000).name == "Ecole Française de Londres"


def test_repairs_windows_punctuation_read_as_latin_1():
    # The national file has "St John\x92s": Windows-1252's apostrophe, decoded as Latin-1.
    data = make_csv(["URN", "EstablishmentName"], ["152253", "St John\x92s CE Primary School"])

    register_import(data=data)

    assert Organisation.objects.get(urn=152253).name == "St John\u2019s CE Primary School"


def test_imports_a_slice_of_the_national_file():
    report = register_import(data=national_slice(300))

    assert report.ok, report.errors
    assert (report.rows, report.created) == (300, 300)
    aldgate = Organisation.objects.get(urn=100000)
    assert aldgate.name == "The Aldgate School"
    assert (aldgate.latitude, aldgate.longitude) == (51.51397, -0.07753)
    assert aldgate.percent_fsm == Decimal("21.9")
    assert aldgate.phase == "Primary"
    assert aldgate.postcode == "EC3A 5DE"
    assert aldgate.is_open
    city = aldgate.local_authority
    assert (city.code, city.name, city.gss_code) == ("201", "City of London", "E09000001")


def test_imports_the_whole_national_file():
    report = register_import(data=NATIONAL.read_bytes())

    assert report.ok, report.errors[:5]
    assert report.created == 20_801
    assert Organisation.objects.filter(kind=OrganisationKind.SCHOOL, is_open=True).count() == 20_801
    # 153 authorities under 152 codes: the file gives the Isles of Scilly Cornwall's code.
    assert LocalAuthority.objects.count() == 152
    assert LocalAuthority.objects.get(code="908").name == "Cornwall"
    assert Organisation.objects.get(urn=152253).name == "St John\u2019s CE Primary School"


def test_selected_columns_update_only_those_fields():
    devizes = SchoolFactory(urn=126000, name="Devizes Primary", town="Devizes", percent_fsm=10)
    ely = SchoolFactory(urn=110000, name="Ely Primary", town="Ely", percent_fsm=None)
    untouched = SchoolFactory(urn=120000, percent_fsm=5)
    data = make_csv(["URN", "PercentageFSM"], ["126000", "12.5"], ["110000", "33"])

    report = register_import(data=data)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    devizes.refresh_from_db()
    ely.refresh_from_db()
    untouched.refresh_from_db()
    assert (devizes.percent_fsm, ely.percent_fsm) == (Decimal("12.5"), Decimal("33.0"))
    assert (devizes.name, devizes.town, devizes.latitude) == ("Devizes Primary", "Devizes", 51.35)
    assert (ely.name, ely.town, ely.local_authority_id) == (
        "Ely Primary",
        "Ely",
        ely.local_authority_id,
    )
    assert devizes.register_updated_at is not None
    assert untouched.percent_fsm == Decimal("5.0")
    assert untouched.register_updated_at is None


def test_an_empty_cell_leaves_the_value_as_it_is():
    school = SchoolFactory(urn=126000, name="Devizes Primary", website="https://devizes.example")
    data = make_csv(
        ["URN", "EstablishmentName", "SchoolWebsite", "PercentageFSM"],
        ["126000", "Devizes Primary", "", ""],
    )
    school.percent_fsm = Decimal("8.0")
    school.save(update_fields=["percent_fsm"])

    report = register_import(data=data)

    assert report.unchanged == 1
    school.refresh_from_db()
    assert (school.website, school.percent_fsm) == ("https://devizes.example", Decimal("8.0"))


def test_register_oddities_are_not_errors():
    # GIAS's own placeholders and typos must not stop the whole register from importing.
    data = make_csv(
        ["URN", "EstablishmentName", "LA (code)", "LA (name)", "GSSLACode (name)", "SchoolWebsite"],
        ["100001", "Offshore School", "000", "Does not apply", "X999999", "not a website"],
    )

    report = register_import(data=data)

    assert report.ok, report.errors
    school = Organisation.objects.get(urn=100001)
    assert (school.local_authority, school.website) == (None, "")
    assert not LocalAuthority.objects.exists()


def test_closing_a_school_marks_it_and_deletes_nothing():
    closing = SchoolFactory(urn=126000)
    other = SchoolFactory(urn=126001)
    data = make_csv(
        ["URN", "EstablishmentStatus (name)", "CloseDate"], ["126000", "Closed", "31-08-2025"]
    )

    report = register_import(data=data)

    assert (report.updated, report.closed) == (1, 1)
    closing.refresh_from_db()
    assert not closing.is_open
    assert closing.closed_on == date(2025, 8, 31)
    assert Organisation.objects.filter(pk__in=[closing.pk, other.pk]).count() == 2
    again = register_import(data=data)
    assert (again.updated, again.closed, again.unchanged) == (0, 0, 1)


def test_a_school_that_reopens_loses_its_close_date():
    school = SchoolFactory(urn=126000, is_open=False, closed_on=date(2020, 8, 31))

    register_import(data=make_csv(["URN", "EstablishmentStatus (name)"], ["126000", "Open"]))

    school.refresh_from_db()
    assert school.is_open and school.closed_on is None


def test_one_bad_row_writes_nothing():
    rows = read_rows(HAMPSHIRE_SURREY)
    fsm = rows[0].index("PercentageFSM")
    rows[13][fsm] = "abc"  # the file's line 14: the header is line 1
    la_count = LocalAuthority.objects.count()

    report = register_import(data=make_csv(rows[0], *rows[1:]))

    assert not report.ok
    assert report.errors == [RowError(14, "PercentageFSM", "“abc” is not a number.")]
    assert str(report.errors[0]) == "Line 14, PercentageFSM: “abc” is not a number."
    assert (report.created, report.updated) == (0, 0)
    assert Organisation.objects.count() == 0
    assert LocalAuthority.objects.count() == la_count
    assert not AuditLog.objects.exists()


def test_every_bad_row_is_reported():
    SchoolFactory(urn=100003)
    header = [
        "URN",
        "EstablishmentName",
        "LA (code)",
        "EstablishmentStatus (name)",
        "CloseDate",
        "NumberOfPupils",
        "PercentageFSM",
        "Latitude",
        "Longitude",
        "Easting",
        "Northing",
    ]
    rows = [
        ["100001", "Fine School", "201", "Open", "", "200", "10", "51.5", "-0.1", "", ""],
        ["10a", "Bad URN", "201", "", "", "", "", "", "", "", ""],
        ["100001", "Twice", "201", "", "", "", "", "", "", "", ""],
        ["100002", "", "201", "", "", "", "", "", "", "", ""],
        ["100003", "", "20", "Shut", "31-02-2020", "12.5", "120", "", "", "", ""],
        ["100004", "Far Away", "201", "", "", "", "", "70", "-0.1", "", ""],
        ["100005", "Half There", "201", "", "", "", "", "51.5", "", "", ""],
        ["100006", "Off The Grid", "201", "", "", "", "", "", "", "900000", "100000"],
        ["100007", "Letters", "201", "", "", "many", "", "", "", "", ""],
    ]

    report = register_import(data=make_csv(header, *rows))

    assert [(e.line, e.column) for e in report.errors] == [
        (3, "URN"),
        (4, "URN"),
        (5, "EstablishmentName"),
        (6, "LA (code)"),
        (6, "EstablishmentStatus (name)"),
        (6, "CloseDate"),
        (6, "NumberOfPupils"),
        (6, "PercentageFSM"),
        (7, "Latitude"),
        (8, "Latitude"),
        (9, "Easting"),
        (10, "NumberOfPupils"),
    ]
    messages = [str(e) for e in report.errors]
    assert "Line 3, URN: “10a” is not a URN (a whole number, e.g. 107806)." in messages
    assert "Line 4, URN: URN 100001 is also on line 2." in messages
    assert "Line 5, EstablishmentName: URN 100002 is not in Tutti yet, so it needs a name." in (
        messages
    )
    assert "Line 6, PercentageFSM: “120” is not a percentage between 0 and 100." in messages
    assert "Line 8, Latitude: a latitude needs a longitude on the same row." in messages
    assert Organisation.objects.count() == 1


def test_a_file_without_a_urn_column_gets_one_clear_error():
    report = register_import(data=make_csv(["EstablishmentName"], ["A School"]))

    assert len(report.errors) == 1
    assert (report.errors[0].line, report.errors[0].column) == (1, "URN")
    assert "no URN column" in report.errors[0].message
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty."),
        (b"URN,EstablishmentName\r\n", "the file has no rows under its header."),
        (b"\x81\x8d\x00\xff", "this is not a CSV file"),
    ],
)
def test_a_file_that_is_not_a_register_gets_one_error(data, message):
    report = register_import(data=data)

    assert len(report.errors) == 1
    assert report.errors[0].message.startswith(message)


def test_an_excel_workbook_is_refused_with_advice():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as workbook:
        workbook.writestr("[Content_Types].xml", "<Types/>")
    report = register_import(data=buffer.getvalue())

    assert "Excel workbook" in report.errors[0].message


def test_reads_the_zip_file_gias_serves():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("edubasealldata20260601.csv", national_slice(20))

    report = register_import(data=buffer.getvalue())

    assert report.ok, report.errors
    assert report.created == 20


def test_la_codes_limit_the_import_to_those_authorities():
    report = register_import(data=national_slice(300), la_codes={"202"})

    assert report.ok, report.errors
    imported = Organisation.objects.count()
    assert 0 < imported < 300
    assert (report.created, report.skipped) == (imported, 300 - imported)
    assert set(LocalAuthority.objects.values_list("code", flat=True)) == {"202"}


def test_rows_skipped_by_la_codes_are_not_checked():
    data = make_csv(
        ["URN", "EstablishmentName", "LA (code)", "PercentageFSM"],
        ["100001", "Camden School", "202", "10"],
        ["100002", "Elsewhere School", "383", "not a number"],
    )

    report = register_import(data=data, la_codes={"202"})

    assert report.ok, report.errors
    assert (report.created, report.skipped) == (1, 1)


def test_la_codes_need_the_la_column():
    report = register_import(data=make_csv(["URN"], ["100000"]), la_codes={"202"})

    assert [(e.line, e.column) for e in report.errors] == [(1, "LA (code)")]


def test_updates_the_local_authority_name_and_ons_code():
    LocalAuthorityFactory(code="201", name="Old name", gss_code="")

    register_import(data=national_slice(1))

    la = LocalAuthority.objects.get(code="201")
    assert (la.name, la.gss_code) == ("City of London", "E09000001")


def test_progress_counts_every_row():
    seen: list[int] = []

    report = register_import(data=national_slice(300), la_codes={"202"}, progress=seen.append)

    assert sum(seen) == report.rows == 300


def test_the_import_is_audited(world):
    register_import(data=national_slice(5), by=world.users["staff"], hub=world.hub)

    entry = AuditLog.objects.get(action="directory.register.imported")
    assert (entry.hub, entry.actor) == (world.hub, world.users["staff"])
    assert entry.data["created"] == 5
    assert entry.data["updated"] == 0


def test_the_command_imports_a_file(tmp_path, capsys):
    path = tmp_path / "schools.csv"
    path.write_bytes(national_slice(300))

    call_command("import_schools", str(path), "--la", "202", "201")

    assert set(LocalAuthority.objects.values_list("code", flat=True)) == {"201", "202"}
    out = capsys.readouterr().out
    assert "300 rows:" in out and "skipped" in out


def test_the_command_fails_listing_every_bad_row(tmp_path):
    path = tmp_path / "schools.csv"
    path.write_bytes(make_csv(["URN", "EstablishmentName"], ["x", "A"], ["100000", ""]))

    with pytest.raises(CommandError) as failure:
        call_command("import_schools", str(path), verbosity=0)

    message = str(failure.value)
    assert "Nothing was imported: 2 problems" in message
    assert "Line 2, URN:" in message and "Line 3, EstablishmentName:" in message
    assert Organisation.objects.count() == 0


CENSUS = Path(__file__).resolve().parents[3] / "data" / "england_schools_2026-06_pupils.csv"


def test_a_gias_extract_records_the_census_its_pupils_come_from():
    register_import(data=LEEDS.read_bytes())
    guiseley = Organisation.objects.get(urn=107809)
    # GIAS's CensusDate 20-01-2022.
    assert (guiseley.pupils, guiseley.pupils_census) == (467, "January 2022")
    assert guiseley.pupils_predecessor_urn is None


def test_the_census_file_updates_the_schools_here_and_adds_none():
    direct = SchoolFactory(urn=100000, pupils=None)
    academy = SchoolFactory(urn=147113, pupils=12, pupils_census="January 2019")
    report = register_import(data=CENSUS.read_bytes())

    assert report.ok, report.errors
    assert (report.updated, report.not_found, report.created) == (2, 20799, 0)
    assert "20,799 not in Tutti" in report.summary
    assert Organisation.objects.count() == 2
    direct.refresh_from_db()
    academy.refresh_from_db()
    assert (direct.pupils, direct.pupils_census, direct.pupils_predecessor_urn) == (
        271,
        "January 2023",
        None,
    )
    # New since the census: the count of the school it replaced (URN 131547) stands in.
    assert (academy.pupils, academy.pupils_census, academy.pupils_predecessor_urn) == (
        635,
        "January 2023",
        131547,
    )


def test_a_census_row_without_a_number_leaves_the_school_as_it_is():
    school = SchoolFactory(urn=100001, pupils=300, pupils_census="January 2022")
    data = make_csv(["URN", "NumberOfPupils", "CensusYear"], ["100001", "", "2022/23"])
    assert register_import(data=data).ok
    school.refresh_from_db()
    assert (school.pupils, school.pupils_census) == (300, "January 2022")


@pytest.mark.parametrize("year", ["2023", "2022/24", "twenty"])
def test_a_census_year_that_is_not_an_academic_year_is_an_error(year):
    SchoolFactory(urn=100001)
    data = make_csv(["URN", "NumberOfPupils", "CensusYear"], ["100001", "250", year])
    report = register_import(data=data)
    assert [str(e) for e in report.errors] == [
        f"Line 2, CensusYear: “{year}” is not an academic year like 2022/23."
    ]
    assert Organisation.objects.get(urn=100001).pupils != 250
