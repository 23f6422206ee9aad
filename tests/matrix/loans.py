"""The instrument library's pages (tutti/loans). Partner staff keep their own organisation's
instruments; everything about pupils, loans and money is for hub admins and staff."""

from tests.matrix_roles import PUBLIC, STAFF_ONLY, only
from tutti.loans.tests.factories import follow_path, store_for

KEEPERS = only({"partner", "staff", "admin"})
M = "/wiltshire/manage/loans"


def _i(w) -> int:
    return store_for(w)["instrument"].pk


MATRIX = {
    "loans:request": (lambda w: "/wiltshire/instruments/", PUBLIC),
    # The signed link stands in for an account: families have none.
    "loans:follow": (
        lambda w: follow_path(w.hub, "request", store_for(w)["request"].pk),
        PUBLIC,
    ),
    "loans-manage:dashboard": (lambda w: f"{M}/", STAFF_ONLY),
    "loans-manage:instruments": (lambda w: f"{M}/instruments/", KEEPERS),
    "loans-manage:instrument-create": (lambda w: f"{M}/instruments/new/", KEEPERS),
    "loans-manage:instrument-import": (lambda w: f"{M}/instruments/import/", KEEPERS),
    "loans-manage:import-template": (lambda w: f"{M}/instruments/template.csv", KEEPERS),
    "loans-manage:instrument": (lambda w: f"{M}/instruments/{_i(w)}/", KEEPERS),
    "loans-manage:instrument-edit": (lambda w: f"{M}/instruments/{_i(w)}/edit/", KEEPERS),
    "loans-manage:instrument-label": (lambda w: f"{M}/instruments/{_i(w)}/label/", KEEPERS),
    "loans-manage:instrument-qr": (lambda w: f"{M}/instruments/{_i(w)}/qr.png", KEEPERS),
    # Sending to repair takes a POST; a GET goes back to the instrument.
    "loans-manage:repair-open": (
        lambda w: f"{M}/instruments/{_i(w)}/repair/",
        only({"partner", "staff", "admin"}, ok=302),
    ),
    # Retiring takes a POST; a GET goes back to the instrument.
    "loans-manage:instrument-retire": (
        lambda w: f"{M}/instruments/{_i(w)}/retire/",
        only({"partner", "staff", "admin"}, ok=302),
    ),
    "loans-manage:queue": (lambda w: f"{M}/requests/", STAFF_ONLY),
    "loans-manage:request": (
        lambda w: f"{M}/requests/{store_for(w)['request'].pk}/",
        STAFF_ONLY,
    ),
    "loans-manage:loans": (lambda w: f"{M}/loans/", STAFF_ONLY),
    "loans-manage:school-issue": (lambda w: f"{M}/loans/school/", STAFF_ONLY),
    "loans-manage:loan": (lambda w: f"{M}/loans/{store_for(w)['loan'].pk}/", STAFF_ONLY),
    "loans-manage:repairs": (lambda w: f"{M}/repairs/", STAFF_ONLY),
    "loans-manage:repair-close": (
        lambda w: f"{M}/repairs/{store_for(w)['repair'].pk}/",
        STAFF_ONLY,
    ),
    "loans-manage:fees": (lambda w: f"{M}/fees/", STAFF_ONLY),
    "loans-manage:charges": (lambda w: f"{M}/charges/", STAFF_ONLY),
    "loans-manage:charges-export": (lambda w: f"{M}/charges.csv", STAFF_ONLY),
}

# A family's request opens by its link's token: private to caches.
SIGNED_LINKS = {"loans:follow"}
