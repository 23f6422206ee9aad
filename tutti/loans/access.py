"""Who may do what in the instrument library, for the pages and the API alike.

Hub admins and staff run the whole library (``can_manage_loans``). Partner staff keep the
instruments their own organisations own (``can_keep_instruments``): they see, add, change and
label only those, and never a pupil's request or loan. Families and schools follow their own
request or loans through a signed link, without an account.
"""

from django.http import Http404

from tutti.accounts.models import Membership
from tutti.directory.models import Hub, Organisation
from tutti.loans import selectors
from tutti.loans.models import Instrument, InstrumentRequest, Loan
from tutti.loans.tokens import LinkProblem, read_follow_token


def store_owners(membership: Membership) -> list[int] | None:
    """None: every instrument of the hub; else only those owned by these organisations."""
    if membership.has_capability("can_manage_loans"):
        return None
    return membership.organisation_ids()


def owner_choices(*, hub: Hub, membership: Membership) -> list[Organisation]:
    return list(selectors.owner_choices(hub=hub, owners=store_owners(membership)))


def instrument_for(*, hub: Hub, membership: Membership, pk: int) -> Instrument:
    """The instrument, if this person keeps it; 404 otherwise (another's store is not theirs)."""
    found = selectors.instrument_get(hub=hub, pk=pk, owners=store_owners(membership))
    if found is None:
        raise Http404("No such instrument in your store.")
    return found


def followed(*, hub: Hub, token: str) -> tuple[InstrumentRequest | None, list[Loan]]:
    """What a signed link shows: a pupil's request and its loans, or a school's batch."""
    link = read_follow_token(token)
    if link.hub_id != hub.pk:
        raise LinkProblem("This link is for another music hub. Use the link in your email.", 404)
    if link.what == "request":
        found = selectors.follow_request(hub=hub, pk=int(link.key))
        if found is None:
            raise LinkProblem("This request is no longer held by the music hub.", 410)
        return found, selectors.loans_of_request(found=found)
    loans = selectors.loans_of_batch(hub=hub, batch=link.key)
    if not loans:
        raise LinkProblem("These loans are no longer held by the music hub.", 410)
    return None, loans
