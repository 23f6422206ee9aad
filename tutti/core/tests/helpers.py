"""Helpers shared by the API tests of every app (core is the leaf every app may import)."""

import json
from typing import Any

from django.test import Client


def send(client: Client, method: str, url: str, body: Any = None):
    """One JSON request to the API, as a browser's fetch() would send it.

    ``body`` is encoded as JSON; a string is sent as it is (to send something that is not
    JSON), and ``None`` sends an empty body.
    """
    if body is None:
        data = ""
    elif isinstance(body, str):
        data = body
    else:
        data = json.dumps(body)
    return client.generic(method, url, data=data, content_type="application/json")


def errors_by_field(response) -> dict[str, str]:
    """A 400's errors as {field: message}."""
    return {e["field"]: e["message"] for e in response.json()["errors"]}
