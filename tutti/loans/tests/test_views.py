"""What staff, partners and families see and can do on the library's pages."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tutti.directory.tests.factories import OrganisationFactory
from tutti.loans.models import Charge, Decision, Ground, Instrument, InstrumentRequest, Status
from tutti.loans.tests.factories import (
    InstrumentFactory,
    LoanFactory,
    RequestFactory,
    follow_path,
)

M = "/wiltshire/manage/loans"


def _csv_file(rows, name="store.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = name
    return upload


HEADER = ["Asset tag", "Type", "Size", "Owner", "Value", "Serial number", "Purchase date"]


def test_typing_a_whole_tag_goes_to_the_instrument_and_a_start_lists_matches(client_for, world):
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="WMC-00123")
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="WMC-00124")
    client = client_for("staff")
    response = client.get(f"{M}/instruments/?q=wmc-00123")
    assert response.status_code == 302
    assert response.url == f"{M}/instruments/{instrument.pk}/"
    listed = client.get(f"{M}/instruments/?q=WMC-0012").content.decode()
    assert "WMC-00123" in listed and "WMC-00124" in listed


def test_partner_staff_see_only_their_own_organisations_store(client_for, world):
    own = InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="OWN-1")
    other_owner = OrganisationFactory(name="Swindon Music Service", hub=world.hub)
    theirs = InstrumentFactory(hub=world.hub, owner=other_owner, asset_tag="THEIRS-1")
    client = client_for("partner")
    page = client.get(f"{M}/instruments/").content.decode()
    assert "OWN-1" in page and "THEIRS-1" not in page
    assert client.get(f"{M}/instruments/{theirs.pk}/").status_code == 404
    assert client.get(f"{M}/instruments/{theirs.pk}/label/").status_code == 404
    assert client.get(f"{M}/instruments/?q=THEIRS-1").status_code == 200
    assert client.get(f"{M}/instruments/{own.pk}/edit/").status_code == 200
    # Another hub's instrument does not exist for Wiltshire's staff.
    elsewhere = InstrumentFactory(hub=world.other_hub, owner=world.partner, asset_tag="X-1")
    assert client_for("staff").get(f"{M}/instruments/{elsewhere.pk}/").status_code == 404


def test_partner_staff_cannot_add_for_another_organisation(client_for, world):
    other_owner = OrganisationFactory(name="Swindon Music Service", hub=world.hub)
    response = client_for("partner").post(
        f"{M}/instruments/new/",
        {
            "asset_tag": "NEW-1",
            "kind_size": "violin|1/2",
            "owner": other_owner.pk,
            "condition": "good",
            "value": "10",
        },
    )
    assert response.status_code == 400
    assert not Instrument.objects.filter(asset_tag="NEW-1").exists()


def test_a_duplicate_tag_on_the_form_is_explained_beside_the_field(client_for, world):
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="DUP-1")
    response = client_for("staff").post(
        f"{M}/instruments/new/",
        {
            "asset_tag": "dup-1",
            "kind_size": "violin|1/2",
            "owner": world.partner.pk,
            "condition": "good",
            "value": "10",
        },
    )
    assert response.status_code == 400
    assert "Another instrument has the asset tag DUP-1" in response.content.decode()


def test_the_import_stores_every_row_or_none_with_a_row_report(client_for, world):
    client = client_for("staff")
    InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="OLD-1")
    name = world.partner.name
    bad = _csv_file(
        [
            HEADER,
            ["IMP-1", "Violin", "1/2", name, "120", "S1", "01/09/2024"],
            ["IMP-2", "Kazoo", "", name, "5", "", ""],
            ["OLD-1", "Cello", "3/4", name, "-3", "", ""],
            ["IMP-1", "Trumpet", "", "Nobody Ltd", "90", "S1", "31/02/2024"],
        ]
    )
    response = client.post(f"{M}/instruments/import/", {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was stored" in page
    assert "Row 3:" in page and "Kazoo" in page
    assert "Row 4:" in page and "in the store already" in page and "value must be between" in page
    assert "Row 5:" in page and "on row 2 too" in page and "Nobody Ltd" in page
    assert "Row 2:" not in page
    assert Instrument.objects.filter(hub=world.hub).count() == 1

    good = _csv_file(
        [
            HEADER,
            ["IMP-1", "violin", "1/2", name, "£1,200.50", "S1", "2024-09-01"],
            ["IMP-2", "Trumpet", "", name.upper(), "90", "", ""],
        ]
    )
    response = client.post(f"{M}/instruments/import/", {"file": good})
    assert response.status_code == 302
    stored = Instrument.objects.get(hub=world.hub, asset_tag="IMP-1")
    assert stored.value == Decimal("1200.50")
    assert Instrument.objects.filter(hub=world.hub).count() == 3


def test_the_import_reads_a_workbook(client_for, world):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["XL-1", "Cello", "3/4", world.partner.name, 300, "", None])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "store.xlsx"
    response = client_for("staff").post(f"{M}/instruments/import/", {"file": out})
    assert response.status_code == 302
    assert Instrument.objects.get(asset_tag="XL-1").kind == "cello"


def test_a_file_that_is_not_a_spreadsheet_is_refused_plainly(client_for, world):
    junk = io.BytesIO(b"PK\x03\x04 not really a zip")
    junk.name = "store.xlsx"
    response = client_for("staff").post(f"{M}/instruments/import/", {"file": junk})
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()


def test_the_label_qr_code_decodes_to_the_asset_tag(client_for, world):
    import zxingcpp
    from PIL import Image

    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, asset_tag="WMC-04711")
    client = client_for("partner")
    page = client.get(f"{M}/instruments/{instrument.pk}/label/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    png = client.get(f"{M}/instruments/{instrument.pk}/qr.png")
    assert png["Content-Type"] == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [code.text for code in found] == ["WMC-04711"]


def test_a_family_asks_without_an_account_and_follows_the_request(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    data = {
        "kind_size": "violin|1/2",
        "first_name": "Ava",
        "last_name": "Jones",
        "school": world.school.pk,
        "year_group": "Year 4",
        "contact_name": "Sam Jones",
        "contact_email": "sam@example.org",
        "ground": "fsm",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wiltshire/instruments/", data)
    assert response.status_code == 302
    found = InstrumentRequest.objects.get()
    assert (found.kind, found.size, found.decision) == ("violin", "1/2", Decision.PENDING)
    link = response.url
    assert link in mailoutbox[0].body
    page = client.get(link).content.decode()
    assert "1st in line" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind_size": "violin|9/8"}, "Select a valid choice"),
        ({"contact_email": "not-an-email"}, "valid email"),
        ({"first_name": ""}, "required"),
        ({"school": "999999"}, "Select a valid choice"),
    ],
)
def test_a_bad_request_is_refused_with_a_message_and_nothing_stored(client, world, change, message):
    data = {
        "kind_size": "violin|1/2",
        "first_name": "Ava",
        "last_name": "Jones",
        "school": world.school.pk,
        "year_group": "Year 4",
        "contact_name": "Sam Jones",
        "contact_email": "sam@example.org",
        **change,
    }
    response = client.post("/wiltshire/instruments/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InstrumentRequest.objects.exists()


def test_a_broken_or_foreign_link_is_refused_plainly(client, world):
    found = RequestFactory(hub=world.hub, school=world.school)
    assert client.get("/wiltshire/instruments/follow/nonsense/").status_code == 400
    foreign = follow_path(world.other_hub, "request", found.pk).replace(
        "cambridgeshire", "wiltshire"
    )
    assert client.get(foreign).status_code == 404


def test_the_charges_export_neutralises_formulas(client_for, world, staff_loan):
    charge = staff_loan
    charge.loan.request.first_name = '=HYPERLINK("http://evil")'
    charge.loan.request.save()
    client = client_for("staff")
    query = f"?year={charge.year}&term={charge.term}"
    text = client.get(f"{M}/charges.csv{query}").content.decode()
    assert "'=HYPERLINK" in text
    book = load_workbook(io.BytesIO(client.get(f"{M}/charges.xlsx{query}").content))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in cells)
    assert client_for("partner").get(f"{M}/charges.csv{query}").status_code == 403


@pytest.fixture
def staff_loan(world):
    instrument = InstrumentFactory(hub=world.hub, owner=world.partner, status=Status.ON_LOAN)
    found = RequestFactory(
        hub=world.hub,
        school=world.school,
        ground=Ground.FSM,
        decision=Decision.GRANTED,
        status="issued",
    )
    loan = LoanFactory(hub=world.hub, instrument=instrument, request=found)
    return Charge.objects.create(
        hub=world.hub,
        loan=loan,
        year=2026,
        term="autumn",
        full_fee=Decimal("30"),
        ground=Ground.FSM,
        amount=Decimal("0"),
    )


def test_the_dashboard_costs_the_same_queries_however_big_the_store(
    client_for, world, django_assert_num_queries
):
    client = client_for("staff")
    client.get(f"{M}/")  # warm the session and the hub

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{M}/").status_code == 200
        return len(queries)

    small = count()
    for n in range(30):
        instrument = InstrumentFactory(
            hub=world.hub,
            owner=world.partner,
            asset_tag=f"D-{n}",
            kind=["violin", "cello", "trumpet"][n % 3],
            size=["1/2", "3/4", ""][n % 3],
            funding_source=["Capital grant 2024", "Hub grant"][(n // 2) % 2],
        )
        if n % 2:
            instrument.status = Status.ON_LOAN
            instrument.save()
            LoanFactory(hub=world.hub, instrument=instrument, school=world.school)
        RequestFactory(
            hub=world.hub, school=world.school, kind="cello", size=f"{['1/2', '3/4'][n % 2]}"
        )
    with django_assert_num_queries(small):
        page = client.get(f"{M}/")
    text = page.content.decode()
    assert "Capital grant 2024" in text and "Cello 3/4" in text
