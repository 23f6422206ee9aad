from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tutti.competitions import services
from tutti.competitions.models import Entry, Reassignment, Result, Score
from tutti.competitions.selectors import public_name, rankings
from tutti.competitions.services import EntrantDetails, PieceSpec, age_on
from tutti.competitions.tests.conftest import uploaded
from tutti.competitions.tests.factories import AdjudicatorFactory, EntryFactory
from tutti.competitions.video import VideoError, make_test_video
from tutti.privacy.retention import retention_apply


def details(comp, world, **changes):
    data = {
        "first_name": "Ava",
        "last_name": "Jones",
        "date_of_birth": date(comp.competition.age_on.year - 12, 1, 10),
        "category": comp.strings,
        "school": world.school,
        "home_educated": False,
        "lives_in_area": False,
    }
    return EntrantDetails(**(data | changes))


def enter(comp, world, **changes):
    consent = changes.pop("consent_judged", True)
    consent_public = changes.pop("consent_public", False)
    return services.entry_create(
        competition=comp.competition,
        details=details(comp, world, **changes),
        pieces=[PieceSpec(title="Meditation", composer="Massenet", minutes=4)],
        contact_name="Sam Jones",
        contact_email="sam@example.org",
        consent_judged=consent,
        consent_public=consent_public,
    )


def test_age_is_taken_on_the_stated_date():
    assert age_on(date(2012, 9, 1), date(2026, 8, 31)) == 13
    assert age_on(date(2012, 8, 31), date(2026, 8, 31)) == 14
    assert age_on(date(2012, 2, 29), date(2026, 2, 28)) == 13


def test_an_eligible_entry_is_stored_with_its_consents_and_confirmed(
    comp, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = enter(comp, world, consent_public=True)
    assert entry.code == "E-0001"
    assert entry.consent_judged_at and entry.consent_public_at and not entry.consent_filming_at
    assert [m.to for m in mailoutbox] == [["sam@example.org"]]
    assert "/competitions/entries/" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_of_birth": date(2000, 1, 1)}, "Choose a category for their age"),
        ({"date_of_birth": date(timezone.localdate().year - 5, 1, 1)}, "for ages 8 to 14"),
        ({"consent_judged": False}, "consent to enter and be judged"),
    ],
)
def test_an_ineligible_entry_is_refused_and_nothing_stored(comp, world, changes, message):
    with pytest.raises(services.CompetitionError, match=message):
        enter(comp, world, **changes)
    assert not Entry.objects.exists()


def test_a_school_outside_the_area_is_refused_unless_they_live_in_it(comp, world):
    with pytest.raises(services.CompetitionError, match="is not in Wiltshire Music Connect's area"):
        enter(comp, world, school=world.other_school)
    assert not Entry.objects.exists()
    assert enter(comp, world, school=world.other_school, lives_in_area=True).pk


def test_a_second_entry_in_the_same_category_is_refused(comp, world):
    enter(comp, world)
    with pytest.raises(services.CompetitionConflict, match="already entered in Strings"):
        enter(comp, world, first_name=" ava ".strip().upper())
    assert Entry.objects.count() == 1
    # Another category is fine.
    assert enter(comp, world, category=comp.brass).number == 2


def test_entries_are_refused_after_the_closing_date(comp, world):
    comp.competition.closes_on = timezone.localdate() - timedelta(days=1)
    comp.competition.save()
    with pytest.raises(services.CompetitionConflict, match="Entries closed"):
        enter(comp, world)


def test_a_real_video_is_kept_in_storage(comp, world, test_video):
    entry = enter(comp, world)
    entry = services.entry_video_attach(entry=entry, upload=uploaded(test_video))
    assert default_storage.exists(entry.video.name)
    assert 1.5 < entry.video_seconds < 2.5
    assert "ava" not in entry.video.name.lower()
    assert "jones" not in entry.video.name.lower()


def _files():
    root = Path(default_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_file_that_is_not_a_video_is_refused_and_nothing_kept(comp, world, tmp_path):
    entry = enter(comp, world)
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"not really a video" * 100)
    with pytest.raises(VideoError, match="not a video"):
        services.entry_video_attach(entry=entry, upload=uploaded(fake))
    image = tmp_path / "still.png"
    image.write_bytes(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
        )
    )
    with pytest.raises(VideoError, match="not a video"):
        services.entry_video_attach(entry=entry, upload=uploaded(image, "still.png"))
    assert _files() == []
    entry.refresh_from_db()
    assert not entry.video


def test_a_video_too_long_is_refused(comp, world, tmp_path, test_video):
    long = tmp_path / "long.mp4"
    make_test_video(str(long), seconds=61, size="32x24")
    entry = enter(comp, world)
    with pytest.raises(VideoError, match="up to 1 min 00 s"):
        services.entry_video_attach(entry=entry, upload=uploaded(long))
    assert _files() == []


def test_a_video_too_large_is_refused(comp, world, test_video):
    comp.competition.max_video_mb = 0
    comp.competition.save()
    entry = enter(comp, world)
    with pytest.raises(services.CompetitionError, match="larger than"):
        services.entry_video_attach(entry=entry, upload=uploaded(test_video))
    assert _files() == []


def test_a_failed_save_after_the_copy_deletes_the_copy(comp, world, test_video, monkeypatch):
    entry = enter(comp, world)

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit", broken)
    with pytest.raises(RuntimeError):
        services.entry_video_attach(entry=entry, upload=uploaded(test_video))
    assert _files() == []


def test_withdrawing_deletes_the_video(comp, world, test_video, django_capture_on_commit_callbacks):
    entry = services.entry_video_attach(entry=enter(comp, world), upload=uploaded(test_video))
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_withdraw(entry=entry)
    assert _files() == []
    # The entrant may enter the category again.
    assert enter(comp, world).number == 2


def test_scores_outside_the_rubric_are_refused(comp, world):
    entry = EntryFactory(category=comp.strings)
    technique, musicality = comp.competition.criteria.all()
    for marks in (
        {technique.pk: 11, musicality.pk: 5},
        {technique.pk: -1, musicality.pk: 5},
        {technique.pk: 5},
    ):
        with pytest.raises(services.CompetitionError, match="from 0 to 10"):
            services.score_save(
                adjudicator=comp.judge, entry=entry, marks=marks, feedback="", by=None
            )
    assert not Score.objects.exists()
    score = services.score_save(
        adjudicator=comp.judge,
        entry=entry,
        marks={technique.pk: 10, musicality.pk: 4},
        feedback="Lovely tone.",
        by=None,
    )
    # Technique, weight 2, got 10 of 10; musicality, weight 1, got 4: 24 of 30 points.
    assert str(score.percent) == "80.0"


def test_an_adjudicator_cannot_score_another_category(comp, world):
    entry = EntryFactory(category=comp.brass)
    with pytest.raises(services.CompetitionError, match="not one of yours"):
        services.score_save(adjudicator=comp.judge, entry=entry, marks={}, feedback="", by=None)


def test_a_conflict_hides_the_entry_and_gives_it_to_another_adjudicator(comp, world):
    entry = EntryFactory(category=comp.strings)
    services.conflict_declare(adjudicator=comp.judge, entry=entry, reason="teacher", by=None)
    from tutti.competitions.access import adjudicator_may_judge

    assert not adjudicator_may_judge(comp.judge, entry)
    assert Reassignment.objects.get().adjudicator == comp.second_judge
    assert adjudicator_may_judge(comp.second_judge, entry)


def test_spread_between_adjudicators_is_flagged_and_ties_shown(comp, world):
    third = AdjudicatorFactory(competition=comp.competition, categories=[comp.strings])
    a, b = EntryFactory(category=comp.strings), EntryFactory(category=comp.strings)
    technique, musicality = comp.competition.criteria.all()
    for judge, entry, t, m in [
        (comp.judge, a, 9, 9),
        (third, a, 4, 4),
        (comp.judge, b, 6, 6),
        (third, b, 7, 7),
    ]:
        services.score_save(
            adjudicator=judge,
            entry=entry,
            marks={technique.pk: t, musicality.pk: m},
            feedback="",
            by=None,
        )
    _, ranking = rankings(competition=comp.competition)
    strings = next(r for r in ranking if r.category == comp.strings)
    rows = {row.entry.pk: row for row in strings.rows}
    assert rows[a.pk].flagged and not rows[b.pk].flagged
    assert rows[a.pk].tie and rows[b.pk].tie  # both average 65.0


def test_shortlist_emails_families_and_results_name_only_with_consent(
    comp, world, mailoutbox, django_capture_on_commit_callbacks
):
    named = EntryFactory(category=comp.strings, consent_public_at=timezone.now())
    unnamed = EntryFactory(category=comp.strings, home_educated=False, school=world.school)
    with django_capture_on_commit_callbacks(execute=True):
        services.shortlist_set(
            competition=comp.competition,
            by=None,
            results={named.pk: Result.WINNER, unnamed.pk: Result.FINALIST},
        )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [named.contact_email, unnamed.contact_email]
    )
    assert public_name(named) == named.entrant_name
    unnamed.refresh_from_db()
    assert unnamed.first_name not in public_name(unnamed)
    assert public_name(unnamed).startswith("a young musician from")


def test_the_final_is_a_published_whats_on_event_with_the_running_order(comp, world):
    from tutti.events.models import EventCategory

    EventCategory.objects.get_or_create(hub=world.hub, name="Concerts", slug="concerts")
    entry = EntryFactory(category=comp.strings, consent_public_at=timezone.now())
    services.shortlist_set(competition=comp.competition, by=None, results={entry.pk: "finalist"})
    start = timezone.now() + timedelta(days=30)
    event = services.final_create(
        competition=comp.competition,
        by=None,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue_name="Wiltshire Music Centre",
        venue_address="Ashley Road, Bradford on Avon",
    )
    assert event.status == "published"
    assert entry.entrant_name in event.description


def test_retention_deletes_videos_after_the_results_except_public_ones(comp, world, test_video):
    private = services.entry_video_attach(entry=enter(comp, world), upload=uploaded(test_video))
    public = services.entry_video_attach(
        entry=enter(comp, world, first_name="Ben", consent_public=True),
        upload=uploaded(test_video),
    )
    Entry.objects.filter(pk=private.pk).update(result="finalist")
    published = timezone.now() - timedelta(days=59)
    comp.competition.results_published_at = published
    comp.competition.save()
    # Day 59: nothing goes yet.
    assert (
        retention_apply(now=timezone.now(), hubs=[world.hub])[0].counts["competition_videos"] == 0
    )
    assert default_storage.exists(private.video.name)
    # Day 61: the private video goes from storage; the public one is kept for the archive.
    later = timezone.now() + timedelta(days=2)
    report = retention_apply(now=later, hubs=[world.hub])[0]
    assert report.counts["competition_videos"] == 1
    assert not default_storage.exists(private.video.name)
    assert default_storage.exists(public.video.name)
    private.refresh_from_db()
    assert not private.video and private.video_deleted_at
    # Run again: nothing more to do.
    assert retention_apply(now=later, hubs=[world.hub])[0].counts["competition_videos"] == 0


def test_entries_are_erased_two_years_after_the_results(comp, world, test_video):
    entry = services.entry_video_attach(
        entry=enter(comp, world, consent_public=True), upload=uploaded(test_video)
    )
    comp.competition.results_published_at = timezone.now() - timedelta(
        days=services.ENTRY_RETENTION_DAYS + 1
    )
    comp.competition.save()
    report = retention_apply(now=timezone.now(), hubs=[world.hub])[0]
    assert report.counts["competition_entries"] == 1
    entry.refresh_from_db()
    assert (entry.first_name, entry.contact_name, entry.teacher) == ("Erased", "", "")
    assert "sam@" not in entry.contact_email
    assert (entry.date_of_birth.month, entry.date_of_birth.day) == (1, 1)
    assert not entry.video and entry.consent_public_at is None
    assert _files() == []
    assert (
        retention_apply(now=timezone.now(), hubs=[world.hub])[0].counts["competition_entries"] == 0
    )
