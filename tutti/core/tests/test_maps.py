"""The map helpers: projection into the SVG box, outlines, hulls. Pure functions on numbers,
except the outlines and districts, which read the ONS boundaries shipped in ``data/``."""

import math
import random
from itertools import pairwise

import pytest

from tutti.core.maps import (
    MapPoint,
    MapShape,
    SvgMap,
    authority_districts,
    authority_outline,
    build_map,
    convex_hull,
    district_at,
    district_names,
    within_bounds,
)

WILTSHIRE = "E06000054"
DEVIZES = (-1.994, 51.352)  # (lon, lat), inside Wiltshire
ELY = (0.263, 52.399)  # inside East Cambridgeshire


def _point(lon, lat, label="p"):
    return MapPoint(lat=lat, lon=lon, label=label)


# convex_hull


def test_the_hull_of_a_square_with_points_inside_is_the_square_closed():
    inside = [(0.5, 0.5), (0.2, 0.8), (0.9, 0.1), (0.5, 0.0)]  # the last is on an edge
    hull = convex_hull([(0, 0), (1, 0), (1, 1), (0, 1), *inside])
    assert hull == [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]


def test_the_hull_goes_anticlockwise_and_holds_every_point():
    rng = random.Random(7)
    points = [(rng.uniform(-3, 3), rng.uniform(50, 53)) for _ in range(200)]
    hull = convex_hull(points)
    assert hull[0] == hull[-1]
    assert set(hull) <= set(points)
    for (ax, ay), (bx, by) in pairwise(hull):
        for px, py in points:
            # Every point is on the left of (or on) every edge walked anticlockwise.
            assert (bx - ax) * (py - ay) - (by - ay) * (px - ax) >= -1e-12


def test_points_in_a_line_give_their_two_ends():
    hull = convex_hull([(2, 2), (0, 0), (1, 1), (3, 3)])
    assert hull == [(0, 0), (3, 3), (0, 0)]


@pytest.mark.parametrize(
    ("points", "hull"),
    [
        ([], []),
        ([(1.0, 2.0)], [(1.0, 2.0)]),
        ([(1.0, 2.0), (1.0, 2.0), (1.0, 2.0)], [(1.0, 2.0)]),
        ([(3.0, 1.0), (1.0, 2.0)], [(1.0, 2.0), (3.0, 1.0)]),
    ],
    ids=["none", "one", "one three times", "two"],
)
def test_fewer_than_three_distinct_points_come_back_sorted_and_open(points, hull):
    assert convex_hull(points) == hull


def test_the_hull_takes_any_iterable_once():
    assert convex_hull(iter([(0, 0), (2, 0), (0, 2)])) == [(0, 0), (2, 0), (0, 2), (0, 0)]


# build_map


def test_nothing_to_draw_gives_an_empty_map():
    drawn = build_map(points=[], shapes=[])
    assert (drawn.width, drawn.height, drawn.points, drawn.shapes) == (640, 0, [], [])


def test_points_without_a_position_are_left_out():
    located = _point(*DEVIZES, label="Devizes")
    unplaced = MapPoint(lat=None, lon=None, label="Nowhere")
    drawn = build_map(points=[unplaced, located])
    assert [p.label for p in drawn.points] == ["Devizes"]


def test_east_is_right_and_north_is_up():
    west, east = _point(-2.0, 51.3, "west"), _point(-1.5, 51.3, "east")
    south, north = _point(-1.8, 51.1, "south"), _point(-1.8, 51.6, "north")
    build_map(points=[west, east, south, north])
    assert west.x < east.x
    assert north.y < south.y
    assert west.y == east.y
    assert south.x == north.x


def test_every_point_lands_inside_the_box_within_its_padding():
    rng = random.Random(3)
    points = [_point(rng.uniform(-2.4, -1.5), rng.uniform(50.9, 51.7)) for _ in range(50)]
    drawn = build_map(points=points, width=640, max_height=720, padding=16)
    assert drawn.width <= 640
    assert drawn.height <= 720
    # The box's size is rounded to whole pixels, a point's place to a tenth.
    for p in drawn.points:
        assert 16 - 0.5 <= p.x <= drawn.width - 16 + 0.5
        assert 16 - 0.5 <= p.y <= drawn.height - 16 + 0.5


def test_the_frame_keeps_the_grounds_proportions_at_its_latitude():
    """A degree of longitude is shorter than a degree of latitude by cos(latitude)."""
    corners = [_point(-2.0, 51.0), _point(-1.0, 52.0)]
    drawn = build_map(points=corners, width=640, max_height=720, padding=16)
    inner_width, inner_height = drawn.width - 32, drawn.height - 32
    assert inner_width / inner_height == pytest.approx(math.cos(math.radians(51.5)), rel=0.01)
    # A tall frame fills the height; the width follows.
    assert drawn.height == 720


def test_the_frame_is_square_on_the_map_so_a_line_of_points_still_fits():
    """The frame is as tall (in degrees) as it is wide, so a spread east to west fits too."""
    west, east = _point(-4.0, 51.0), _point(0.0, 51.2)
    drawn = build_map(points=[west, east], width=640, max_height=720, padding=16)
    assert drawn.width <= 640
    assert drawn.height == 720
    assert west.x == pytest.approx(16, abs=0.5)
    assert east.x == pytest.approx(drawn.width - 16, abs=0.5)


def test_a_lone_point_gets_a_frame_and_sits_in_its_middle():
    point = _point(*DEVIZES)
    drawn = build_map(points=[point])
    assert drawn.height > 0
    assert point.x == pytest.approx(drawn.width / 2, abs=1)
    assert point.y == pytest.approx(drawn.height / 2, abs=1)


def test_shapes_become_svg_paths_in_the_same_projection():
    square = [(-2.0, 51.0), (-1.0, 51.0), (-1.0, 52.0), (-2.0, 52.0), (-2.0, 51.0)]
    corner = _point(-2.0, 52.0)  # the square's north-west corner
    drawn = build_map(points=[corner], shapes=[MapShape(label="area", rings=[square])])
    [shape] = drawn.shapes
    assert shape.path.startswith("M") and shape.path.endswith("Z")
    vertices = [tuple(map(int, xy.split(","))) for xy in shape.path[1:-1].split("L")]
    assert len(vertices) == 5
    assert vertices[3] == (round(corner.x), round(corner.y))


def test_the_frame_is_the_points_unless_told_to_fit_the_shapes():
    county = MapShape(label="county", rings=[[(-3, 50), (0, 50), (0, 53), (-3, 53)]])

    def xs(drawn: SvgMap) -> list[int]:
        return [int(xy.split(",")[0]) for xy in drawn.shapes[0].path[1:-1].split("L")]

    # Framed on a lone town, the county runs far outside the box.
    town = _point(*DEVIZES)
    on_points = build_map(points=[town], shapes=[county])
    assert town.x == pytest.approx(on_points.width / 2, abs=1)
    assert min(xs(on_points)) < 0
    assert max(xs(on_points)) > on_points.width
    # Framed on the county, it fits inside the padding.
    on_shapes = build_map(points=[_point(*DEVIZES)], shapes=[county], fit_to_points=False)
    assert min(xs(on_shapes)) == 16
    assert max(xs(on_shapes)) == on_shapes.width - 16


def test_with_no_points_the_shapes_make_the_frame():
    county = MapShape(label="county", rings=[[(-3, 50), (0, 50), (0, 53), (-3, 53)]])
    drawn = build_map(points=[], shapes=[county])
    assert drawn.height > 0
    assert [s.label for s in drawn.shapes] == ["county"]


def test_a_ring_smaller_than_a_pixel_is_not_drawn_and_nor_is_its_empty_shape():
    big = [(-3, 50), (0, 50), (0, 53), (-3, 53)]
    speck = [(-1.5, 51.5), (-1.5000001, 51.5), (-1.5, 51.5000001)]
    drawn = build_map(
        points=[],
        shapes=[MapShape(label="county", rings=[big, speck]), MapShape("dot", rings=[speck])],
    )
    assert [s.label for s in drawn.shapes] == ["county"]
    assert drawn.shapes[0].path.count("M") == 1


def test_points_within_a_pixel_of_the_last_are_dropped_from_a_path():
    ring = [(-2.0, 51.0), (-2.0, 51.0000001), (-1.0, 51.0), (-1.0, 52.0)]
    drawn = build_map(points=[], shapes=[MapShape(label="area", rings=[ring])])
    assert drawn.shapes[0].path.count("L") == 2


def test_the_view_box_is_the_maps_size():
    assert SvgMap(width=300, height=200).view_box == "0 0 300 200"


# The ONS boundaries


def test_a_unitary_authority_is_its_own_district():
    assert authority_districts(WILTSHIRE) == {WILTSHIRE}
    outline = authority_outline(WILTSHIRE)
    assert outline
    assert all(ring[0] == ring[-1] for ring in outline)


def test_a_county_is_made_of_its_districts():
    cambridgeshire = authority_districts("E10000003")
    assert len(cambridgeshire) > 1
    names = district_names()
    assert "East Cambridgeshire" in {names.get(code) for code in cambridgeshire}
    assert len(authority_outline("E10000003")) >= len(cambridgeshire)


def test_district_at_finds_the_district_around_a_point():
    assert district_at(*DEVIZES, candidates=[WILTSHIRE]) == WILTSHIRE
    assert district_at(*ELY, candidates=[WILTSHIRE]) is None
    ely_district = district_at(*ELY)
    assert district_names()[ely_district] == "East Cambridgeshire"


def test_an_unknown_code_has_no_outline():
    assert authority_outline("E99999999") == []
    assert authority_districts("E99999999") == {"E99999999"}


# The boundary data's outlines are drawn once per frame and kept (a hub's area is on many pages).


def test_a_kept_outline_drawing_is_the_same_as_a_fresh_one():
    def draw(rings, points=()):
        shape = MapShape(label="Wiltshire", rings=rings)
        return build_map(points=[_point(*p) for p in points], shapes=[shape], fit_to_points=False)

    kept = authority_outline(WILTSHIRE)
    copied = [list(ring) for ring in kept]  # new lists: never taken for the kept data
    for points in [(), [DEVIZES]]:
        first, second, fresh = draw(kept, points), draw(kept, points), draw(copied, points)
        assert first.shapes[0].path == second.shapes[0].path == fresh.shapes[0].path
        assert (first.width, first.height) == (fresh.width, fresh.height)
    # The same outline in another frame is drawn for that frame, not taken from the first.
    wider = build_map(
        points=[],
        shapes=[MapShape(label="W", rings=kept), MapShape(label="E", rings=[[ELY, (0.3, 52.5)]])],
        fit_to_points=False,
    )
    assert wider.shapes[0].path != draw(kept).shapes[0].path


def test_within_bounds_is_the_box_around_the_shapes():
    shapes = [MapShape(label="Wiltshire", rings=authority_outline(WILTSHIRE))]
    assert within_bounds(shapes, _point(*DEVIZES))
    assert not within_bounds(shapes, _point(*ELY))
    assert not within_bounds([], _point(*DEVIZES))
