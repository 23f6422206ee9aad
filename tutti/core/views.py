from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tutti.core import page_cache
from tutti.core.permissions import public_view


@public_view
@page_cache.exempt
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when this app server can reach the database; never from the
    page cache, or it would say so when the database is down."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)
