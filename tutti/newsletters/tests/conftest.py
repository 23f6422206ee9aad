import pytest
from django.db import transaction


@pytest.fixture(autouse=True)
def _on_commit_at_once(monkeypatch):
    """Emails and sends are queued on commit; a test's transaction never commits, so run
    them at once, as they would run after a real commit."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
