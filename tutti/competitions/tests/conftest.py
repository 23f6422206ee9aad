"""Fixtures of the competitions tests: a competition in Wiltshire, a tiny test video made
with ffmpeg once per run, and the videos kept in a folder of the test's own."""

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from tutti.competitions.models import Adjudicator, Category, Competition
from tutti.competitions.tests.factories import (
    AdjudicatorFactory,
    CategoryFactory,
    CompetitionFactory,
    CriterionFactory,
)
from tutti.competitions.video import make_test_video


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def test_video(tmp_path_factory) -> Path:
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg and ffprobe are needed to make and check a test video")
    path = tmp_path_factory.mktemp("video") / "performance.mp4"
    make_test_video(str(path), seconds=2)
    return path


def uploaded(path: Path, name: str = "performance.mp4") -> TemporaryUploadedFile:
    """The file as Django's temporary-file upload handler hands it over."""
    data = path.read_bytes()
    upload = TemporaryUploadedFile(name, "video/mp4", len(data), None)
    upload.write(data)
    upload.seek(0)
    return upload


@dataclass
class Setup:
    competition: Competition
    strings: Category
    brass: Category
    judge: Adjudicator
    second_judge: Adjudicator


@pytest.fixture
def comp(world) -> Setup:
    competition = CompetitionFactory(hub=world.hub, name="Wiltshire Young Musician")
    strings = CategoryFactory(competition=competition, name="Strings", min_age=8, max_age=14)
    brass = CategoryFactory(competition=competition, name="Brass", min_age=8, max_age=14)
    CriterionFactory(competition=competition, name="Technique", weight=2)
    CriterionFactory(competition=competition, name="Musicality", weight=1)
    judge = AdjudicatorFactory(
        competition=competition, user=world.users["plain"], categories=[strings]
    )
    second_judge = AdjudicatorFactory(competition=competition, categories=[brass])
    return Setup(competition, strings, brass, judge, second_judge)
