from typing import Any

from django.http import HttpRequest


def hub(request: HttpRequest) -> dict[str, Any]:
    """The current hub and the visitor's role in it, for navigation."""
    membership = getattr(request, "membership", None)
    return {
        "hub": getattr(request, "hub", None),
        "membership": membership,
        "can_manage": membership is not None,
    }
