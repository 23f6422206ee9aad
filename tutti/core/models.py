from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """Who did what, to which object, in which hub. Written by services, never edited."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hub = models.ForeignKey(
        "directory.Hub", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


def model_update(
    instance: models.Model, data: Mapping[str, Any], *, validate: bool = False
) -> list[str]:
    """Set each field of ``data`` whose value differs and save only those (with ``updated_at``
    where the model has it). Returns the names that changed, empty when nothing did; then
    nothing is written, so an unchanged form does not touch the row or its timestamps.

    With ``validate``, the instance's ``full_clean()`` runs after the new values are set and
    before anything is saved, so a ValidationError leaves the row as it was."""
    changed = [name for name, value in data.items() if getattr(instance, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(instance, name, data[name])
    if validate:
        instance.full_clean()
    fields = {field.name for field in instance._meta.concrete_fields}
    instance.save(update_fields=[*changed, *(["updated_at"] if "updated_at" in fields else [])])
    return changed


@models.Field.register_lookup
class InOnce(models.Lookup):
    """``field__in_once=queryset``: the same rows as ``__in``, planned better inside an OR.

    A plain ``IN (SELECT ...)`` inside an OR is checked row by row over the whole table. On
    PostgreSQL this lookup writes ``= ANY(ARRAY(SELECT ...))``, which runs the subquery once
    before the scan, so the planner can use the column's index (a hub's directory: its few local
    authorities' schools out of every school in England). Other databases get ``IN``.
    """

    lookup_name = "in_once"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


# A foreign key keeps its own table of lookups.
models.ForeignObject.register_lookup(InOnce)
