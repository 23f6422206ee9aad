import io

import pytest
from pypdf import PdfReader

from tutti.directory.tests.factories import SchoolFactory
from tutti.provision.tests.factories import SchoolAuditFactory


@pytest.fixture
def audited(world):
    world.school.latitude, world.school.longitude = 51.35, -1.99
    world.school.save(update_fields=["latitude", "longitude"])
    SchoolAuditFactory(hub=world.hub, school=world.school, wcet="yes", send="no")
    SchoolFactory(local_authority=world.la, name="Pewsey Primary School", pupils=180)
    return world


def _text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_report_is_a_pdf_with_the_tables(client_for, audited):
    response = client_for("staff").get("/wiltshire/manage/provision/report.pdf?role=send")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response)
    for heading in (
        "Wiltshire Music Connect",
        "Every kind of provision",
        "Map: Music for pupils with SEND",
        "Coverage by cluster",
        "by local authority",
        "Where the gaps are",
        "Pewsey Primary School",
    ):
        assert heading in text, heading
    # The map is drawn: the school's marker is in the HTML that feeds the PDF.
    labels = {p.label for p in response.context["map"].points}
    assert "Devizes Primary School: not provided" in labels


def test_a_cluster_report_has_only_that_clusters_schools(client_for, audited):
    response = client_for("staff").get(
        "/wiltshire/manage/provision/report.pdf?cluster=Devizes+area"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('devizes-area-needs-analysis.pdf"')
    text = _text(response)
    assert "Devizes area cluster" in text
    assert "Pewsey Primary School" not in text


def test_an_unknown_cluster_is_a_400(client_for, audited):
    response = client_for("staff").get("/wiltshire/manage/provision/report.pdf?cluster=Nowhere")
    assert response.status_code == 400


def test_the_report_is_for_staff(client_for, audited):
    url = "/wiltshire/manage/provision/report.pdf"
    assert client_for("coordinator").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


def _structure(reader: PdfReader) -> list[tuple[str, str | None]]:
    """Every element of the PDF's structure tree: its tag, and its alternative text."""
    found: list[tuple[str, str | None]] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            found.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_report_is_a_tagged_pdf_with_alternative_text(client_for, audited):
    response = client_for("staff").get("/wiltshire/manage/provision/report.pdf?role=send")
    reader = PdfReader(io.BytesIO(response.content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    tags = _structure(reader)
    names = {tag for tag, _ in tags}
    assert {"/H1", "/H2", "/Table", "/TR", "/TH", "/TD", "/P"} <= names
    figures = [alt for tag, alt in tags if tag == "/Figure"]
    # The map, a bar for each of the 6 kinds of provision, and one per cluster (Devizes area,
    # and "No cluster" for Pewsey).
    assert len(figures) == 1 + 6 + 2
    assert all(figures), figures
    map_alt = next(alt for alt in figures if alt.startswith("Map of"))
    assert "1 not provided (squares)" in map_alt
    assert "1 unknown (open circles)" in map_alt
    assert "Music for pupils with SEND, of 2: provided 0 (0%), partly provided 0 (0%), " in (
        " ".join(figures)
    )
    assert any(
        alt.startswith("Devizes area: 0% provide it fully, 0 of 1 schools") for alt in figures
    )
