"""The roles of the access matrix and what each may get, shared by its parts.

Roles: anonymous; plain (signed in, no role in any hub); partner (partner staff of
Wiltshire Music Centre); coordinator (of Devizes area only); staff; admin; outsider (staff of
the other hub). Expected GET status per role, for Wiltshire's pages.
"""

ROLES = ["anonymous", "plain", "partner", "coordinator", "staff", "admin", "outsider"]
PUBLIC = dict.fromkeys(ROLES, 200)
ANY_MEMBER = {
    "anonymous": 302,
    "plain": 404,
    "partner": 200,
    "coordinator": 200,
    "staff": 200,
    "admin": 200,
    "outsider": 404,
}
STAFF_ONLY = ANY_MEMBER | {"partner": 403, "coordinator": 403}
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
SIGN_IN_PAGE = dict.fromkeys(ROLES, 302) | {"anonymous": 200}
SIGN_OUT_PAGE = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
NOTHING_YET = dict.fromkeys(ROLES, 404) | {"anonymous": 302}


def only(allowed: set[str], ok: int = 200) -> dict[str, int]:
    """Members get 403 unless in ``allowed``; non-members 404; anonymous sign in."""
    return {
        role: ok if role in allowed else ANY_MEMBER[role] if ANY_MEMBER[role] != 200 else 403
        for role in ROLES
    }
