import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tutti.core.models import AuditLog
from tutti.directory.models import Organisation

URL = "/wiltshire/manage/directory/import/"
GOOD = (
    "URN,EstablishmentName,LA (code),LA (name),PhaseOfEducation (name),Postcode,"
    "Latitude,Longitude,PercentageFSM\r\n"
    "149557,St Thomas à Becket CE Primary School,865,Wiltshire,Primary,SP3 4RZ,"
    "51.23142,-1.95183,7.3\r\n"
    "126000,Devizes Primary School,865,Wiltshire,Primary,SN10 1AA,51.35,-1.99,12.5\r\n"
).encode()
BAD = (
    "URN,EstablishmentName,PercentageFSM\r\n"
    "149557,St Thomas à Becket CE Primary School,7.3\r\n"
    "149558,Another School,abc\r\n"
    "x,Third School,5\r\n"
).encode()


def upload(data: bytes, name: str = "edubasealldata.csv") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="text/csv")}


def test_the_page_explains_where_to_get_the_file(client_for):
    response = client_for("staff").get(URL)

    assert response.status_code == 200
    assert "https://get-information-schools.service.gov.uk/" in response.text
    assert "up to 5,000 schools" in response.text
    assert "Any selection of columns works" in response.text


def test_staff_can_import_the_register(client_for, world):
    client = client_for("staff")
    response = client.post(URL, upload(GOOD))

    assert response.status_code == 302
    assert response.url == "/wiltshire/manage/directory/"
    new = Organisation.objects.get(urn=149557)
    assert (new.name, new.local_authority) == ("St Thomas à Becket CE Primary School", world.la)
    world.school.refresh_from_db()
    assert str(world.school.percent_fsm) == "12.5"
    entry = AuditLog.objects.get(action="directory.register.imported")
    assert (entry.hub, entry.actor) == (world.hub, world.users["staff"])
    page = client.get(response.url)
    assert "The school register was imported. 2 rows: 1 new school, 1 updated" in page.text


def test_a_bad_file_shows_every_problem_and_writes_nothing(client_for, world):
    before = Organisation.objects.count()

    response = client_for("admin").post(URL, upload(BAD))

    assert response.status_code == 400
    assert "Nothing was imported: 2 problems" in response.text
    assert '<td class="num">3</td><td>PercentageFSM</td><td>“abc” is not a number.</td>' in (
        response.text
    )
    assert '<td class="num">4</td><td>URN</td>' in response.text
    assert Organisation.objects.count() == before
    assert not Organisation.objects.filter(urn=149557).exists()


def test_a_post_without_a_file_is_refused(client_for):
    response = client_for("staff").post(URL, {})

    assert response.status_code == 400
    assert "This field is required." in response.text


@pytest.mark.parametrize("who", ["partner", "coordinator"])
def test_partner_staff_and_coordinators_get_403(client_for, who):
    response = client_for(who).post(URL, upload(GOOD))

    assert response.status_code == 403
    assert not Organisation.objects.filter(urn=149557).exists()


def test_staff_of_another_hub_get_404(client_for):
    response = client_for("outsider").post(URL, upload(GOOD))

    assert response.status_code == 404
    assert not Organisation.objects.filter(urn=149557).exists()


def test_anonymous_is_sent_to_sign_in(client_for):
    response = client_for("anonymous").post(URL, upload(GOOD))

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not Organisation.objects.filter(urn=149557).exists()
