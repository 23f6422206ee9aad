"""No figure about fewer than 10 pupils, anywhere: every number on the public page, in the
PDF, the funder's XLSX and the API is enumerated and checked against the figures allowed."""

import io
import re
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tutti.directory.tests.factories import OrganisationFactory, SchoolFactory
from tutti.programmes import services
from tutti.programmes.models import Session
from tutti.programmes.selectors import MIN_PUPILS, programme_figures
from tutti.programmes.tests.factories import add_pupils, make_programme, make_site

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


@pytest.fixture
def programme(world):
    """13 pupils at three sites (5, 5 and 3); Belonging scored for 12 of them, Confidence for
    4 only (so suppressed), exclusions for 11; everyone's attendance taken once."""
    programme = make_programme(
        hub=world.hub,
        lead=world.users["admin"],
        starts_on=date(2026, 1, 5),
        ends_on=date(2026, 7, 17),
    )
    sites = [make_site(programme, school=world.school, organisation=world.partner)]
    # Names without digits, as real ones are, so that every number on a page is a figure's.
    sites += [
        make_site(
            programme,
            organisation=OrganisationFactory(name=f"{place} Music"),
            school=SchoolFactory(name=f"{place} Primary School"),
        )
        for place in ("Bury", "Calderdale")
    ]
    pupils = add_pupils(sites[0], 5) + add_pupils(sites[1], 5, prefix="Q")
    pupils += add_pupils(sites[2], 3, prefix="R")
    belonging, confidence, _, exclusions = list(programme.measures.all())
    for n, p in enumerate(pupils):
        values = {belonging.pk: 2 + n % 2} if n < 12 else {}
        if n < 4:
            values[confidence.pk] = 1
        if n < 11:
            values[exclusions.pk] = 1 + n % 3
        services.scores_record(pupil=p, point="start", values=values)
        end = {k: min(v + 1, 5) for k, v in values.items()}
        if exclusions.pk in end:
            end[exclusions.pk] = 0
        services.scores_record(pupil=p, point="end", values=end)
    for site in sites:
        session = Session.objects.create(site=site, date=date(2026, 1, 12))
        group = {p.pk: True for p in site.pupils.all()}
        session.attendance.model.objects.bulk_create(
            session.attendance.model(session=session, pupil_id=pk, present=v)
            for pk, v in group.items()
        )
        session.attendance_taken_at = timezone.now()
        session.save()
    services.outcomes_publish(programme=programme, narrative="A calmer term.", by=None)
    return programme


def _allowed_numbers(programme) -> set[str]:
    """Numbers a page may show: those of figures about 10 or more pupils (or about none),
    the pupils they are about, the dates and the scales' ends."""
    # "fewer than 10 pupils", and the map's boundary data (ONS 2013, Crown copyright 2014).
    allowed = {"10", "2013", "2014"}
    for f in programme_figures(programme=programme):
        for text in (f.value or "", f.label):
            allowed |= set(NUMBER.findall(text))
        if f.pupils is not None:
            allowed.add(str(f.pupils))
    for day in (programme.starts_on, programme.ends_on, programme.outcomes_published_at.date()):
        allowed |= {str(day.day), str(day.year), f"{day.day:02d}"}
    return allowed


def _check_every_number(text: str, allowed: set[str], where: str) -> None:
    found = set(NUMBER.findall(text))
    assert found - allowed == set(), f"{where} shows numbers not allowed: {found - allowed}"


def test_the_figures_suppress_what_is_about_fewer_than_10_pupils(programme):
    figures = {f.key: f for f in programme_figures(programme=programme)}
    confidence = programme.measures.get(name="Confidence")
    assert figures[f"measure-{confidence.pk}"].suppressed
    assert figures[f"measure-{confidence.pk}"].pupils is None
    assert figures["pupils"].value == "13"
    for f in figures.values():
        assert f.suppressed or not f.about_pupils or f.pupils >= MIN_PUPILS


def test_every_number_on_the_public_page_is_about_10_pupils_or_more(client, programme):
    response = client.get(f"/programmes/{programme.slug}/")
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    text = re.sub(r"<[^>]+>", " ", main)
    assert "Not shown: fewer than 10 pupils" in text
    _check_every_number(text, _allowed_numbers(programme), "the public page")


def test_every_number_in_the_pdf_is_about_10_pupils_or_more(client, programme):
    response = client.get(f"/programmes/{programme.slug}/outcomes.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "A calmer term." in text
    _check_every_number(text, _allowed_numbers(programme), "the PDF")


def test_every_number_in_the_funders_xlsx_is_about_10_pupils_or_more(client_for, programme):
    response = client_for("admin").get(f"/programmes/{programme.slug}/manage/funder-report.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    outcomes = book["Outcomes"]
    # The programme's dates are date cells; every other cell is checked.
    cells = [
        str(c.value)
        for row in outcomes.iter_rows()
        for c in row
        if c.value is not None and not c.is_date
    ]
    allowed = _allowed_numbers(programme)
    _check_every_number(" ".join(cells), allowed, "the XLSX")
    # The sites sheet holds sessions, never pupils.
    header = [c.value for c in next(book["Sites"].iter_rows())]
    assert not any("upil" in str(h) for h in header)


def test_every_number_in_the_api_is_about_10_pupils_or_more(client, programme):
    for url in (f"/api/programmes/{programme.slug}/outcomes",):
        body = client.get(url).json()
        for figure in body["figures"]:
            if figure["suppressed"]:
                assert figure["value"] is None
                assert figure["pupils"] is None
            elif figure["pupils"] is not None:
                assert figure["pupils"] >= MIN_PUPILS
        text = " ".join(str(f["value"] or "") + " " + f["label"] for f in body["figures"])
        _check_every_number(text, _allowed_numbers(programme), url)


def test_the_leads_figures_in_the_api_are_suppressed_too(client_for, programme):
    body = client_for("admin").get(f"/api/programmes/{programme.slug}/figures").json()
    assert any(f["suppressed"] for f in body["figures"])
    assert all(f["pupils"] is None or f["pupils"] >= MIN_PUPILS for f in body["figures"])


def test_a_dashboard_never_shows_a_sites_group_size(client_for, programme):
    html = client_for("admin").get(f"/programmes/{programme.slug}/manage/").content.decode()
    assert "Fewer than 10" in html
    assert "Not shown: fewer than 10 pupils" in html
