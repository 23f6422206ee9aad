"""The programmes' pages (tutti/programmes/urls.py).

The programme is led by the hub admin; the partner is tutor of site A (at Devizes Primary, in
Wiltshire) and the coordinator tutor of site B, so the coordinator is a tutor of another site
(404 for site A); Wiltshire staff are hub staff of site A's hub: its summary, no pupil data
(403); the outsider has no part in the programme (404).
"""

from tests.matrix_roles import PUBLIC
from tutti.programmes.models import ProgrammeInvitation
from tutti.programmes.services import invitation_create, token_hash
from tutti.programmes.tests.factories import matrix_programme, senco_path, site_a

# Pages a link's token opens: anyone with the link may see them, no cache may keep them.
SIGNED_LINKS = {
    "programmes:invitation",
    "programmes:senco",
    "programmes:senco-scores",
    "programmes:senco-remove",
}
NOT_IN_IT = {"anonymous": 302, "plain": 404, "outsider": 404}
LEADS = NOT_IN_IT | {"partner": 403, "coordinator": 403, "staff": 403, "admin": 200}
TEAM = NOT_IN_IT | {"partner": 200, "coordinator": 200, "staff": 403, "admin": 200}
SITE_SUMMARY = NOT_IN_IT | {"partner": 200, "coordinator": 404, "staff": 200, "admin": 200}
PUPIL_DATA = NOT_IN_IT | {"partner": 200, "coordinator": 404, "staff": 403, "admin": 200}
TOKEN = "a-programme-invitation-token"


def _base(w) -> str:
    return f"/programmes/{matrix_programme(w).slug}"


def _site(w) -> str:
    return f"{_base(w)}/sites/{site_a(w).pk}"


def _invitation(w) -> str:
    if not ProgrammeInvitation.objects.filter(token_hash=token_hash(TOKEN)).exists():
        invitation = invitation_create(
            programme=matrix_programme(w),
            site=site_a(w),
            role="tutor",
            email="new@example.org",
            by=None,
        )
        invitation.token_hash = token_hash(TOKEN)
        invitation.save(update_fields=["token_hash"])
    return f"/programmes/invitations/{TOKEN}/"


def _invitation_id(w) -> int:
    _invitation(w)
    return ProgrammeInvitation.objects.get(token_hash=token_hash(TOKEN)).pk


def _pupil(w) -> int:
    return site_a(w).pupils.first().pk


MATRIX = {
    "programmes:list": (lambda w: "/programmes/", PUBLIC),
    "programmes:create": (
        lambda w: "/programmes/new/",
        {
            "anonymous": 302,
            "plain": 403,
            "partner": 403,
            "coordinator": 403,
            "staff": 200,
            "admin": 200,
            "outsider": 200,
        },
    ),
    # The link stands in for signing in: the invited person may have no account yet.
    "programmes:invitation": (_invitation, PUBLIC),
    "programmes:detail": (lambda w: f"{_base(w)}/", PUBLIC),
    "programmes:outcomes-pdf": (lambda w: f"{_base(w)}/outcomes.pdf", PUBLIC),
    "programmes:dashboard": (lambda w: f"{_base(w)}/manage/", LEADS),
    "programmes:edit": (lambda w: f"{_base(w)}/manage/edit/", LEADS),
    "programmes:site-create": (lambda w: f"{_base(w)}/manage/sites/new/", LEADS),
    "programmes:lead-invite": (lambda w: f"{_base(w)}/manage/leads/invite/", LEADS),
    "programmes:publish": (lambda w: f"{_base(w)}/manage/publish/", LEADS),
    "programmes:measures": (lambda w: f"{_base(w)}/manage/measures/", LEADS),
    "programmes:funder-report": (lambda w: f"{_base(w)}/manage/funder-report.xlsx", LEADS),
    "programmes:events": (lambda w: f"{_base(w)}/manage/events/", LEADS),
    "programmes:resource-create": (lambda w: f"{_base(w)}/manage/resources/new/", LEADS),
    "programmes:resources": (lambda w: f"{_base(w)}/resources/", TEAM),
    "programmes:reflection": (lambda w: f"{_base(w)}/reflection/", TEAM),
    "programmes:site": (lambda w: f"{_site(w)}/", SITE_SUMMARY),
    "programmes:site-invite": (lambda w: f"{_site(w)}/invite/", LEADS),
    # Withdrawing takes a POST; a GET goes back to the site's page.
    "programmes:invitation-withdraw": (
        lambda w: f"{_site(w)}/invitations/{_invitation_id(w)}/withdraw/",
        NOT_IN_IT | {"partner": 403, "coordinator": 403, "staff": 403, "admin": 302},
    ),
    "programmes:senco-link": (lambda w: f"{_site(w)}/senco-link/", PUPIL_DATA),
    "programmes:pupils": (lambda w: f"{_site(w)}/pupils/", PUPIL_DATA),
    "programmes:scores": (lambda w: f"{_site(w)}/pupils/{_pupil(w)}/scores/", PUPIL_DATA),
    # A GET asks to confirm; removing takes a POST.
    "programmes:pupil-remove": (lambda w: f"{_site(w)}/pupils/{_pupil(w)}/remove/", PUPIL_DATA),
    "programmes:plan": (lambda w: f"{_site(w)}/sessions/plan/", PUPIL_DATA),
    "programmes:attendance": (
        lambda w: f"{_site(w)}/sessions/{site_a(w).sessions.first().pk}/",
        PUPIL_DATA,
    ),
    # The SENCo's signed link stands in for signing in: they need no account.
    "programmes:senco": (lambda w: senco_path(site_a(w)), PUBLIC),
    "programmes:senco-scores": (
        lambda w: f"{senco_path(site_a(w))}pupils/{_pupil(w)}/scores/",
        PUBLIC,
    ),
    "programmes:senco-remove": (
        lambda w: f"{senco_path(site_a(w))}pupils/{_pupil(w)}/remove/",
        PUBLIC,
    ),
}
