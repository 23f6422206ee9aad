"""The Music Partnership's demo year reproduces its published figures, each traceable."""

import pytest

from tutti.demo.loader import load_demo
from tutti.participation.years import current_academic_year


@pytest.fixture
def demo(db):
    load_demo(echo=lambda line: None)


def test_the_music_partnerships_latest_year_shows_its_published_figures(client, demo):
    year = current_academic_year() - 1
    response = client.get(f"/the-music-partnership/impact/?year={year}")
    figures = {f.figure.key: f.value for f in response.context["figures"]}
    assert {
        key: figures[key]
        for key in (
            "ensembles",
            "ensemble-members",
            "schools-singing",
            "schools-teaching",
            "pupils-taught",
            "instruments-on-loan",
            "wcet-pupils",
            "wcet-schools",
            "schools-supported",
        )
    } == {
        "ensembles": 129,
        "ensemble-members": 2455,
        "schools-singing": 375,
        "schools-teaching": 257,
        "pupils-taught": 7350,
        "instruments-on-loan": 9000,
        "wcet-pupils": 9100,
        "wcet-schools": 155,
        "schools-supported": 360,
    }
    # Not the published 574: the register's count, and the page says so.
    html = response.content.decode()
    assert figures["schools-in-area"] != 574
    assert "From the national register of schools" in html
    # The page is for the latest year by default.
    assert client.get("/the-music-partnership/impact/").context["year"] == year
