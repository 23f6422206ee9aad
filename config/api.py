"""The JSON API: one NinjaAPI, each app adds its router. Docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Tutti API",
    version="1",
    description="Read a hub's partner directory and musical clusters; hub staff can write.",
    urls_namespace="api",
)
