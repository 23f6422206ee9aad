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
