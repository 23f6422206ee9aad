"""Video uploads: streamed to a temporary file, checked with ffprobe, copied to storage.

A video is never held in memory: the upload handler below writes each chunk to a temporary
file as it arrives and stops keeping chunks once the file passes the competition's size limit;
ffprobe then reads the file from disk (in a subprocess with a time limit), and Django's
storage copies it in chunks. When anything fails, the temporary file goes and nothing is kept.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest

from tutti.core.errors import DomainError
from tutti.core.uploads import megabytes

FFPROBE_SECONDS = 20
# Containers that hold moving pictures; ffprobe also reads still images (PNG, JPEG) as a
# "video" stream, and those are not performances.
CONTAINERS = {"mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi", "mpeg", "mpegts"}
NOT_A_VIDEO = (
    "This file is not a video we can play. Upload the video as an MP4, MOV or WebM file, "
    "as a phone or camera saves it."
)


class VideoError(DomainError):
    """The video cannot be accepted; the message says why and what to do."""


@dataclass(frozen=True)
class VideoFacts:
    seconds: float
    container: str


class LimitedVideoUploadHandler(TemporaryFileUploadHandler):
    """Writes the upload to a temporary file; past ``max_bytes`` it drops the file and
    remembers that it was too large, so the view can say so."""

    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.too_large:
            return None
        if self.received > self.max_bytes:
            self.too_large = True
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> Any:
        if self.too_large:
            return None
        return super().file_complete(file_size)

    def upload_interrupted(self) -> None:
        # The connection dropped mid-upload: the temporary file is deleted, nothing is kept.
        file = getattr(self, "file", None)
        if file is not None and not file.closed:
            file.close()


def too_large_message(max_bytes: int) -> str:
    return (
        f"The video is larger than {megabytes(max_bytes)}, the most this competition takes. "
        "Trim it, or save it at a lower quality, and upload it again."
    )


def ffprobe_available() -> bool:
    return shutil.which("ffprobe") is not None


def probe(path: str) -> dict[str, Any]:
    """ffprobe's JSON description of the file; VideoError when it is not a media file."""
    command = [
        "ffprobe",
        "-v",
        "error",
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        path,
    ]
    try:
        done = subprocess.run(  # noqa: S603 - a fixed command on a file we wrote
            command, capture_output=True, timeout=FFPROBE_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise VideoError("This file takes too long to check. Upload a shorter video.") from error
    except FileNotFoundError as error:
        raise VideoError("Videos cannot be checked just now. Please try again later.") from error
    if done.returncode != 0:
        raise VideoError(NOT_A_VIDEO)
    try:
        return json.loads(done.stdout or b"{}")
    except ValueError as error:
        raise VideoError(NOT_A_VIDEO) from error


def video_check(path: str, *, max_seconds: int) -> VideoFacts:
    """The video's length and container, or VideoError saying why it cannot be used."""
    info = probe(path)
    fmt = info.get("format") or {}
    containers = set(str(fmt.get("format_name", "")).split(","))
    streams = info.get("streams") or []
    if not containers & CONTAINERS or not any(s.get("codec_type") == "video" for s in streams):
        raise VideoError(NOT_A_VIDEO)
    try:
        seconds = float(fmt.get("duration") or 0)
    except (TypeError, ValueError):
        seconds = 0
    if seconds <= 0:
        raise VideoError(NOT_A_VIDEO)
    if seconds > max_seconds:
        raise VideoError(
            f"The video is {_length(seconds)} long; this competition takes videos of up to "
            f"{_length(max_seconds)}. Trim it and upload it again."
        )
    return VideoFacts(seconds=seconds, container=sorted(containers & CONTAINERS)[0])


def _length(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} seconds"
    return f"{minutes} min {rest:02d} s"


def temporary_path(file: UploadedFile) -> str:
    """Where the upload handler wrote the file."""
    path = getattr(file, "temporary_file_path", None)
    if path is None:
        raise VideoError(NOT_A_VIDEO)
    return str(path())


def make_test_video(path: str, *, seconds: float = 2, size: str = "160x120") -> None:
    """A short test video (colour bars and a tone) made with ffmpeg: for tests and the demo."""
    command = [
        "ffmpeg",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        f"testsrc=duration={seconds}:size={size}:rate=10",
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency=440:duration={seconds}",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        "-movflags",
        "+faststart",
        path,
    ]
    subprocess.run(command, check=True, timeout=60, capture_output=True)  # noqa: S603
