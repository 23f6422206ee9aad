"""Maps drawn as SVG on the server from open data shipped in ``data/``.

No tiles and no scripts from other hosts: the outline of each local authority comes from the
ONS 2013 district boundaries, grouped into today's authorities with mySociety's register, and
points are placed with a simple equirectangular projection that is accurate enough at county
scale.
"""

import csv
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

DATA_DIR = settings.BASE_DIR / "data"
Ring = list[tuple[float, float]]  # (lon, lat)


@lru_cache(maxsize=1)
def _district_polygons() -> dict[str, list[Ring]]:
    """LAD13 code -> outer rings of its polygons."""
    with open(DATA_DIR / "england_lad_2013.geojson", encoding="utf-8") as f:
        features = json.load(f)["features"]
    polygons: dict[str, list[Ring]] = {}
    for feature in features:
        geometry = feature["geometry"]
        parts = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        polygons[feature["properties"]["LAD13CD"]] = [
            [(float(x), float(y)) for x, y in part[0]] for part in parts
        ]
    return polygons


@lru_cache(maxsize=1)
def _districts_by_authority() -> dict[str, set[str]]:
    """ONS code of an authority -> ONS codes of the 2013 districts that make it up."""
    with open(DATA_DIR / "uk_local_authorities_current.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    gss_by_code = {row["local-authority-code"]: row["gss-code"] for row in rows}
    groups: dict[str, set[str]] = {}
    for row in rows:
        own = {row["gss-code"], *filter(None, row["former-gss-codes"].split(","))}
        groups.setdefault(row["gss-code"], set()).update(own)
        county = gss_by_code.get(row["county-la"])
        if county:
            groups.setdefault(county, set()).update(own)
    return groups


def authority_outline(gss_code: str) -> list[Ring]:
    """The rings of every 2013 district inside the authority (one for a unitary)."""
    polygons = _district_polygons()
    codes = _districts_by_authority().get(gss_code, {gss_code})
    return [ring for code in sorted(codes) for ring in polygons.get(code, [])]


@dataclass
class MapPoint:
    lat: float
    lon: float
    label: str
    group: str = ""
    url: str = ""
    x: float = 0
    y: float = 0


@dataclass
class MapShape:
    label: str
    rings: list[Ring]
    group: str = ""
    path: str = ""


@dataclass
class SvgMap:
    width: int
    height: int
    points: list[MapPoint] = field(default_factory=list)
    shapes: list[MapShape] = field(default_factory=list)

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def build_map(
    *,
    points: Iterable[MapPoint],
    shapes: Sequence[MapShape] = (),
    width: int = 640,
    max_height: int = 720,
    fit_to_points: bool = True,
    padding: int = 16,
) -> SvgMap:
    """Project points and shapes into an SVG box, framed on the points (or the shapes)."""
    points = [p for p in points if p.lat is not None and p.lon is not None]
    frame = [(p.lon, p.lat, p.lon, p.lat) for p in points] if fit_to_points else []
    if not frame:
        frame = [_bounds(ring) for shape in shapes for ring in shape.rings if ring]
    if not frame:
        return SvgMap(width=width, height=0)
    min_lon, min_lat = min(b[0] for b in frame), min(b[1] for b in frame)
    max_lon, max_lat = max(b[2] for b in frame), max(b[3] for b in frame)
    # A lone point, or points in a line, still get a frame of a few kilometres.
    span = max(max_lon - min_lon, max_lat - min_lat, 0.05)
    min_lon, max_lon = (min_lon + max_lon - span) / 2, (min_lon + max_lon + span) / 2
    min_lat, max_lat = (min_lat + max_lat - span) / 2, (min_lat + max_lat + span) / 2
    k = math.cos(math.radians((min_lat + max_lat) / 2))
    # Fit the frame inside width x max_height, keeping its proportions.
    scale = min(
        (width - 2 * padding) / ((max_lon - min_lon) * k),
        (max_height - 2 * padding) / (max_lat - min_lat),
    )
    width = round((max_lon - min_lon) * k * scale) + 2 * padding
    height = round((max_lat - min_lat) * scale) + 2 * padding

    frame_key = (min_lon, max_lat, k, scale, padding)
    project = _projector(frame_key)
    for point in points:
        point.x, point.y = project(point.lon, point.lat)
    drawn = []
    static = _static_rings()
    for shape in shapes:
        parts = [
            _static_ring_path(id(ring), frame_key)
            if id(ring) in static
            else _ring_path(ring, project)
            for ring in shape.rings
        ]
        if any(parts):
            shape.path = "".join(parts)
            drawn.append(shape)
    return SvgMap(width=width, height=height, points=points, shapes=drawn)


Bounds = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@lru_cache(maxsize=1)
def _static_rings() -> dict[int, tuple[Ring, Bounds]]:
    """The boundary data's rings by ``id``, with their bounds. They live as long as the
    process (``_district_polygons`` is kept), so their ids are stable and each drawing of one
    can be kept: a hub's outline is drawn on many pages, always in the same frame."""
    return {
        id(ring): (ring, _ring_bounds(ring))
        for rings in _district_polygons().values()
        for ring in rings
        if ring
    }


def _ring_bounds(ring: Ring) -> Bounds:
    lons = [lon for lon, _ in ring]
    lats = [lat for _, lat in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _bounds(ring: Ring) -> Bounds:
    static = _static_rings().get(id(ring))
    return static[1] if static is not None else _ring_bounds(ring)


@lru_cache(maxsize=2048)
def _static_ring_path(ring_id: int, frame_key: tuple[float, float, float, float, int]) -> str:
    return _ring_path(_static_rings()[ring_id][0], _projector(frame_key))


def _projector(
    frame_key: tuple[float, float, float, float, int],
) -> Callable[[float, float], tuple[float, float]]:
    min_lon, max_lat, k, scale, padding = frame_key

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(padding + (lon - min_lon) * k * scale, 1),
            round(padding + (max_lat - lat) * scale, 1),
        )

    return project


def within_bounds(shapes: Sequence[MapShape], point: MapPoint) -> bool:
    """Whether the point is inside the box around the shapes."""
    boxes = [_bounds(ring) for shape in shapes for ring in shape.rings if ring]
    if not boxes:
        return False
    return min(b[0] for b in boxes) <= point.lon <= max(b[2] for b in boxes) and min(
        b[1] for b in boxes
    ) <= point.lat <= max(b[3] for b in boxes)


def _ring_path(ring: Ring, project: Callable[[float, float], tuple[float, float]]) -> str:
    """The ring as an SVG path in whole pixels, or "" when it is too small to see."""
    coords: list[tuple[int, int]] = []
    for lon, lat in ring:
        x, y = project(lon, lat)
        xy = (round(x), round(y))
        if not coords or coords[-1] != xy:  # drop points within a pixel
            coords.append(xy)
    if len(coords) <= 2:
        return ""
    return "M" + "L".join(f"{x},{y}" for x, y in coords) + "Z"


def _point_in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def district_at(lon: float, lat: float, candidates: Iterable[str] | None = None) -> str | None:
    """The ONS code of the 2013 district containing the point, searched among ``candidates``."""
    polygons = _district_polygons()
    for code in candidates if candidates is not None else polygons:
        if any(_point_in_ring(lon, lat, ring) for ring in polygons.get(code, [])):
            return code
    return None


@lru_cache(maxsize=1)
def district_names() -> dict[str, str]:
    with open(DATA_DIR / "england_lad_2013.geojson", encoding="utf-8") as f:
        return {
            feature["properties"]["LAD13CD"]: feature["properties"]["LAD13NM"]
            for feature in json.load(f)["features"]
        }


def authority_districts(gss_code: str) -> set[str]:
    return set(_districts_by_authority().get(gss_code, {gss_code}))


def convex_hull(points: Iterable[tuple[float, float]]) -> Ring:
    """The smallest convex ring around the points (Andrew's monotone chain), closed."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return list(pts)

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: Ring = []
    upper: Ring = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    return [*hull, hull[0]]
