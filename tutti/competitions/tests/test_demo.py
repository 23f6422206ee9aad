import pytest
from django.core.files.storage import default_storage

from tutti.competitions.models import Competition, Conflict, Score
from tutti.competitions.selectors import rankings, unjudged_after_conflicts
from tutti.demo.loader import load_demo

pytestmark = pytest.mark.slow


def test_the_demo_has_staffordshire_young_musician(db):
    load_demo(echo=lambda _: None)
    competition = Competition.objects.get(slug="staffordshire-young-musician")
    assert competition.hub.slug == "the-music-partnership"
    assert competition.entries.count() == 108
    schools = competition.entries.exclude(school=None)
    assert all(e.school.local_authority.code in {"860", "861", "894"} for e in schools)
    assert competition.adjudicators.count() == 2
    assert Conflict.objects.filter(entry__competition=competition).count() == 1
    assert Score.objects.filter(entry__competition=competition).count() == 2 * 108 - 1
    assert not unjudged_after_conflicts(competition=competition).exists()
    _, ranked = rankings(competition=competition)
    assert any(row.flagged for r in ranked for row in r.rows)
    assert competition.entries.exclude(result="").count() == 18 + 9
    assert competition.final_event.status == "published"
    with_video = competition.entries.exclude(video="")
    assert with_video.count() in {0, 6}
    assert all(default_storage.exists(e.video.name) for e in with_video)
