import pytest

from tutti.directory.models import Organisation
from tutti.directory.templatetags.directory_tags import organisation_meta


def test_a_school_line_names_all_it_knows_and_a_closed_one_says_so():
    school = Organisation(
        kind="school", name="A", phase="Primary", town="Devizes", postcode="SN10 1AA", urn=126000
    )
    assert organisation_meta(school) == (
        '<p class="meta">School · Primary · Devizes · SN10 1AA · URN 126000</p>'
    )
    school.is_open = False
    assert organisation_meta(school).endswith(" · URN 126000 · <strong>Closed</strong></p>")


@pytest.mark.django_db
def test_a_line_leaves_out_what_is_missing_and_escapes_what_partners_type(world):
    partner = Organisation(kind="music_service", name="B", town="<b>Bath</b>")
    assert organisation_meta(partner) == (
        '<p class="meta">Music service · &lt;b&gt;Bath&lt;/b&gt;</p>'
    )
    world.school.refresh_from_db()
    assert f" · {world.la.name} · " in organisation_meta(world.school)
