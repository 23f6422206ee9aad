"""An access request's answer: a ZIP of the person's data as JSON, with a readable summary."""

import io
import json
import zipfile
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from tutti.privacy.selectors import held_in_apps


def _readable(value: Any) -> str:
    """A record's value as lines to read: nested records one per line, fields "key: value"."""
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_readable(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_readable(v) for v in value) if value else "none"
    if value is None or value == "":
        return "-"
    return str(value)


def readable_apps(data: dict) -> list[dict[str, Any]]:
    """The newer apps' records in ``data``, each as (field, text) rows, for summary.html."""
    return [
        {
            "label": label,
            "records": [
                [(key.replace("_", " ").capitalize(), _readable(v)) for key, v in record.items()]
                for record in records
            ],
        }
        for label, records in held_in_apps(data)
    ]


def data_zip(data: dict) -> bytes:
    """person.json (everything, machine-readable) and summary.html (the same, to read)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "person.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        # Autoescaped like every template, so any text a person typed is shown, never run.
        archive.writestr(
            "summary.html",
            render_to_string("privacy/export_summary.html", {**data, "apps": readable_apps(data)}),
        )
    return buffer.getvalue()


def data_zip_response(data: dict, *, label: str) -> HttpResponse:
    name = f"tutti-data-{slugify(label)[:40] or 'person'}-{timezone.localdate():%Y-%m-%d}.zip"
    response = HttpResponse(data_zip(data), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Personal data: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
