"""The production settings, as a deployment starts them: each test runs a real process."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
A_YEAR = 365 * 24 * 60 * 60


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(45),  # 60 characters
        "SITE_URL": "https://x.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
    }
    return env | overrides


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "Set SECRET_KEY in the environment"),
        ("x" * 10 + "abcdefghij" * 3, "SECRET_KEY is too short: it has 40 characters"),
        ("ab" * 30, "SECRET_KEY is not a random string"),
    ],
)
def test_a_weak_secret_key_stops_start_up_with_a_plain_message(tmp_path, key, message):
    result = _run(["manage.py", "check"], _production_env(tmp_path, SECRET_KEY=key))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert message in last_line
    assert key not in last_line or not key


# Asks for a page through Django's test client, in a process with the production settings.
FETCH = """
import json, sys, django
django.setup()
from django.test import Client
response = Client().get("/healthz", secure=sys.argv[1] == "https")
print(json.dumps({"status": response.status_code, "headers": dict(response.headers)}))
"""


def _fetch(tmp_path: Path, scheme: str, **env: str) -> dict:
    result = _run(["-c", FETCH, scheme], _production_env(tmp_path, **env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_asks_browsers_to_keep_to_https_for_a_year(tmp_path):
    response = _fetch(tmp_path, "https")
    assert response["status"] == 200
    assert response["headers"]["Strict-Transport-Security"] == (
        f"max-age={A_YEAR}; includeSubDomains; preload"
    )
    assert "script-src 'self'" in response["headers"]["Content-Security-Policy"]
    assert "camera=()" in response["headers"]["Permissions-Policy"]
    plain_http = _fetch(tmp_path, "http")
    assert plain_http["status"] == 301
    assert plain_http["headers"]["Location"].startswith("https://")


def test_hsts_is_off_only_when_the_environment_says_so(tmp_path):
    response = _fetch(tmp_path, "https", SECURE_HSTS_SECONDS="0")
    assert response["status"] == 200
    assert "Strict-Transport-Security" not in response["headers"]
    # An empty value is no decision: the year stays.
    response = _fetch(tmp_path, "https", SECURE_HSTS_SECONDS="")
    assert response["headers"]["Strict-Transport-Security"].startswith(f"max-age={A_YEAR};")
    response = _fetch(tmp_path, "https", SECURE_HSTS_PRELOAD="0")
    assert response["headers"]["Strict-Transport-Security"] == (
        f"max-age={A_YEAR}; includeSubDomains"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_does_not_name_itself(tmp_path):
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    # From the repository's root, as the README deploys it: gunicorn reads gunicorn.conf.py.
    server = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=_production_env(tmp_path, SECURE_SSL_REDIRECT="0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    headers = response.headers
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    servers = headers.get_all("Server") or []
    assert all("gunicorn" not in s.lower() and not any(c.isdigit() for c in s) for s in servers)
    assert "Strict-Transport-Security" in headers
