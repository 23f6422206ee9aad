"""The shared template filters: one way to write a share, and what a person may do."""

import pytest
from django.template import Context, Template

from tutti.accounts.models import Membership, Role
from tutti.core.templatetags.tutti_tags import can, percent


@pytest.mark.parametrize(
    ("value", "whole", "expected"),
    [
        (39.94, None, "39.9%"),
        (40, None, "40%"),
        ("12.5", None, "12.5%"),
        (0, None, "0%"),
        (0.01, None, "under 0.1%"),
        (100, None, "100%"),
        (399, 1000, "39.9%"),
        (1, 3, "33.3%"),
        (2, 2, "100%"),
        (5, 0, "—"),
        (None, None, ""),
        ("not a number", None, ""),
    ],
)
def test_percent_writes_a_share_with_one_decimal_place_at_most(value, whole, expected):
    assert percent(value, whole) == expected


def test_percent_in_a_template():
    html = Template("{% load tutti_tags %}{{ part|percent:whole }}").render(
        Context({"part": 399, "whole": 1000})
    )
    assert html == "39.9%"


@pytest.mark.parametrize(
    ("role", "capability", "expected"),
    [
        (Role.HUB_STAFF, "can_manage_directory", True),
        (Role.COORDINATOR, "can_manage_directory", False),
        (Role.COORDINATOR, "can_edit_cluster", True),
    ],
)
def test_can_asks_the_same_capability_table_as_the_views(role, capability, expected):
    assert can(Membership(role=role), capability) is expected


def test_no_membership_can_do_nothing():
    assert can(None, "can_view_manage") is False
