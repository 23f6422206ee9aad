"""Every upload is answered with a plain message, quickly, whatever the file (issue 10, item 3).

The files are the ones a security tester sent (``hostile.py``). Each is sent the way a person
would send it: the cluster CSV and the register by hub staff, the return spreadsheet through its
signed link, without an account.
"""

import io
import time

import openpyxl
import pytest

from tutti.clusters.models import ClusterMember
from tutti.core.tests import hostile
from tutti.directory.models import Organisation
from tutti.participation.models import SubmissionStatus, WcetProgramme
from tutti.participation.spreadsheet import SHEETS, template_workbook
from tutti.participation.tests.factories import SubmissionFactory
from tutti.participation.tests.test_collections import GOOD, YEAR, _filled
from tutti.participation.tokens import return_link_path

ASSIGN = "/wiltshire/manage/clusters/assign/"
REGISTER = "/wiltshire/manage/directory/import/"


@pytest.fixture(autouse=True)
def no_deadline_race(monkeypatch):
    """Each test here checks one rule (size, rows, width...), so reading gets all the time it
    needs: on a busy machine the time limit could otherwise answer first. How fast hostile files
    are refused is measured by benchmarks/hostile_uploads.py, and the time limit itself by
    test_reading_gives_up_at_its_deadline_whatever_the_file."""

    def generous(seconds: float = 0) -> float:
        return time.monotonic() + 600

    for module in (
        "tutti.core.uploads",
        "tutti.participation.spreadsheet",
        "tutti.directory.register",
    ):
        monkeypatch.setattr(f"{module}.deadline", generous)


def _file(data: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def _post(client, url, data, name):
    return client.post(url, {"file": _file(data, name)})


def _page_text(response) -> str:
    return " ".join(response.content.decode().split())


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# The cluster assignment CSV ------------------------------------------------------------------

CLUSTER_CASES = {
    "random bytes": (hostile.random_bytes(), "it holds binary data"),
    "stray 0x81 and 0x8D": (hostile.stray_bytes(), "Line 2 has a byte (0x81)"),
    "UTF-16 with a BOM": (hostile.utf16(), "UTF-16"),
    "UTF-16 without a BOM": (hostile.utf16(bom=False), "binary data, or text saved as UTF-16"),
    "a quoted field that never ends": (hostile.huge_field(), "can&#x27;t be read as CSV"),
    "a cell of 50,000 characters": (hostile.long_cell(), "longer than 10,000 characters"),
    "a cell of 200,000 characters": (hostile.long_cell(200_000), "can&#x27;t be read as CSV"),
    "a workbook given as CSV": (
        hostile.workbook({"Sheet": [["URN", "Cluster"], [126000, "Devizes area"]]}),
        "This is an Excel workbook or a zip file, not a CSV file",
    ),
    "a control character": (b"URN,Cluster\n126000,Devizes\x07area\n", "control character"),
    "too many rows": (hostile.tiny_rows_csv(200_000), "more than 10,000 rows"),
}


@pytest.mark.parametrize("case", CLUSTER_CASES)
def test_a_hostile_cluster_csv_gets_a_plain_message_and_changes_nothing(client_for, world, case):
    data, message = CLUSTER_CASES[case]
    before = set(ClusterMember.objects.values_list("cluster_id", "organisation_id"))
    response = _post(client_for("staff"), ASSIGN, data, "clusters.csv")
    assert response.status_code == 400
    assert message in _page_text(response)
    assert "Nothing was changed" in _page_text(response)
    assert set(ClusterMember.objects.values_list("cluster_id", "organisation_id")) == before


def test_a_cluster_csv_larger_than_the_limit_is_refused_before_reading(client_for, world):
    response = _post(
        client_for("staff"), ASSIGN, hostile.tiny_rows_csv(20 * 1024 * 1024), "clusters.csv"
    )
    assert response.status_code == 400
    assert "The file is 20 MB; it can be at most 2 MB." in _page_text(response)


def test_a_good_cluster_csv_in_windows_1252_still_works(client_for, world):
    data = "URN,Cluster\r\n126000,Chippenham\r\n".encode("cp1252")
    response = _post(client_for("staff"), ASSIGN, data, "clusters.csv")
    assert response.status_code == 302
    assert ClusterMember.objects.get(organisation=world.school).cluster == world.other_cluster


def test_the_cluster_csv_report_still_names_every_bad_row(client_for, world):
    data = b"URN,Cluster\n126000,Nowhere\nabc,Chippenham\n"
    response = _post(client_for("staff"), ASSIGN, data, "clusters.csv")
    text = _page_text(response)
    assert "Row 2, Cluster: there is no cluster called “Nowhere”." in text
    assert "Row 3, URN: “abc” is not a URN (a number)." in text


# The school register --------------------------------------------------------------------------


def test_a_20_mb_register_of_tiny_rows_is_refused_quickly(client_for, world):
    data = hostile.tiny_rows_csv(20 * 1024 * 1024, header=b"URN,EstablishmentName\n")
    response = _post(client_for("admin"), REGISTER, data, "register.csv")
    assert response.status_code == 400
    assert "it can be at most 15 MB" in _page_text(response)


def test_a_register_of_tiny_rows_within_the_size_limit_stops_at_the_row_limit(client_for, world):
    data = hostile.tiny_rows_csv(14 * 1024 * 1024, header=b"URN,EstablishmentName\n")
    count = Organisation.objects.count()
    response = _post(client_for("admin"), REGISTER, data, "register.csv")
    assert response.status_code == 400
    assert "more than 5,000 rows" in _page_text(response)
    assert Organisation.objects.count() == count


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (hostile.utf16(), "UTF-16"),
        (hostile.random_bytes(), "not a CSV file"),
        (hostile.stray_bytes(), "has a byte (0x81)"),
        (hostile.huge_field(), "can&#x27;t be read as CSV"),
        (hostile.workbook({"Sheet": [["URN"]]}), "Excel workbook"),
    ],
)
def test_a_hostile_register_file_gets_a_plain_message(client_for, world, data, message):
    response = _post(client_for("admin"), REGISTER, data, "register.csv")
    assert response.status_code == 400
    assert message in _page_text(response)


def test_the_command_still_reads_a_register_larger_than_the_website_takes():
    from tutti.core.uploads import UploadError, csv_records, open_csv

    rows = "".join(f"{100000 + n},School {n}\r\n" for n in range(6000))
    stream = open_csv(f"URN,EstablishmentName\r\n{rows}".encode())
    assert sum(1 for _ in csv_records(stream, max_rows=200_000)) == 6001
    with pytest.raises(UploadError, match="more than 5,000 rows"):
        stream = open_csv(f"URN,EstablishmentName\r\n{rows}".encode())
        list(csv_records(stream, max_rows=5000))


# The return spreadsheet, through its signed link (no account) ---------------------------------


@pytest.fixture
def link(world):
    submission = SubmissionFactory(
        collection__hub=world.hub, collection__year=YEAR, partner=world.partner
    )
    return submission, return_link_path(hub=world.hub, submission_id=submission.pk)


def _template(world):
    return template_workbook(hub=world.hub, partner=world.partner, year=YEAR)


HEADERS = {s.title: [c.header for c in s.columns] for s in SHEETS}


def _hostile_workbooks(world):
    return {
        "a cell at row 1,048,576 in every sheet": (
            hostile.far_cell_xlsx(["Read me", *HEADERS], HEADERS),
            "is empty",
        ),
        "entities declared in every sheet": (
            hostile.with_entities(_template(world)),
            "XML entity or DTD declarations",
        ),
        "an entity used without being declared": (
            hostile.with_entities(_template(world), declare=False),
            "cannot be read",
        ),
        "entities declared in the workbook part": (
            hostile.with_entities(_template(world), "xl/workbook.xml"),
            "XML entity or DTD declarations",
        ),
        "random bytes": (hostile.random_bytes(), "not an Excel workbook"),
        "a CSV file": (b"URN,Pupils\n126000,3\n", "not an Excel workbook"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "a cell at row 1,048,576 in every sheet",
        "entities declared in every sheet",
        "an entity used without being declared",
        "entities declared in the workbook part",
        "random bytes",
        "a CSV file",
    ],
)
def test_a_hostile_workbook_through_the_link_gets_a_plain_message(client, world, link, case):
    submission, path = link
    data, message = _hostile_workbooks(world)[case]
    response = _post(client, path, data, "return.xlsx")
    assert response.status_code == 400
    assert any(message in p for p in response.context["problems"]), response.context["problems"]
    assert WcetProgramme.objects.count() == 0
    submission.refresh_from_db()
    assert submission.status != SubmissionStatus.SUBMITTED


def test_a_workbook_that_unpacks_too_large_is_refused(client, world, link):
    _, path = link
    data = hostile.workbook({"Read me": [["x" * 30_000] for _ in range(1500)]})
    response = _post(client, path, data, "return.xlsx")
    assert response.status_code == 400
    assert "too large once unpacked" in response.context["problems"][0]


def test_a_sheet_with_more_rows_than_it_takes_is_refused(client, world, link):
    submission, path = link
    rows = [[None, "", f"Centre {n}", "Strings", "Small group", 1, 0, 0, 0] for n in range(5001)]
    response = _post(client, path, _filled(world, submission, {"Lessons": rows}).read(), "r.xlsx")
    assert response.status_code == 400
    assert "Lessons: there are more than 5,000 rows" in response.context["problems"][0]


def test_merged_cells_are_still_reported(client, world, link):
    submission, path = link
    wb = openpyxl.load_workbook(_filled(world, submission, GOOD))
    wb["WCET"].merge_cells("A2:B2")
    out = io.BytesIO()
    wb.save(out)
    response = _post(client, path, out.getvalue(), "return.xlsx")
    assert "WCET: please unmerge the merged cells (A2:B2)." in response.context["problems"]


def test_a_good_workbook_through_the_link_is_still_stored_whole(client, world, link):
    submission, path = link
    response = _post(client, path, _filled(world, submission, GOOD).read(), "return.xlsx")
    assert response.status_code == 302
    assert WcetProgramme.objects.count() == 1


def test_reading_gives_up_at_its_deadline_whatever_the_file():
    from tutti.core.uploads import TooSlow, csv_records, open_csv, open_workbook, sheet_rows

    past = time.monotonic() - 1
    with pytest.raises(TooSlow, match="takes too long to read"):
        list(csv_records(open_csv(hostile.tiny_rows_csv(100_000)), max_rows=10**6, until=past))
    wb = open_workbook(hostile.workbook({"WCET": [["URN"], [1]]}), max_unpacked_bytes=10**7)
    with pytest.raises(TooSlow):
        list(sheet_rows(wb["WCET"], width=1, max_rows=10, until=past))
