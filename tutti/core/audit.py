from typing import Any

from django.db import models

from tutti.core.models import AuditLog


def audit(
    action: str,
    *,
    hub: Any = None,
    actor: Any = None,
    obj: models.Model | None = None,
    **data: Any,
) -> AuditLog:
    """Record an action. Call it inside the service's transaction so both land or neither."""
    return AuditLog.objects.create(
        action=action,
        hub=hub,
        actor=actor if actor is not None and actor.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data,
    )
