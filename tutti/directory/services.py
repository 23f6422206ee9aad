"""Writes to the directory. Each is atomic and audited."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from tutti.core.audit import audit
from tutti.directory.models import (
    Hub,
    Organisation,
    OrganisationKind,
    PartnerCommitments,
    Partnership,
    PartnershipStatus,
)

ORGANISATION_FIELDS = (
    "kind",
    "name",
    "address",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "website",
    "email",
    "phone",
    "local_authority",
    "description",
    "listed_publicly",
)


class DirectoryError(Exception):
    """A directory change that the rules do not allow; the message is for the user."""


@transaction.atomic
def organisation_create(*, hub: Hub, by: Any, expertise: Any = (), **fields: Any) -> Organisation:
    """Add a partner organisation to the hub's directory (schools come from the register)."""
    if fields.get("kind") == OrganisationKind.SCHOOL:
        raise DirectoryError("Schools come from the official register: import it to add one.")
    organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    organisation.full_clean()
    organisation.save()
    organisation.expertise.set(expertise)
    Partnership.objects.create(
        hub=hub,
        organisation=organisation,
        since=timezone.localdate(),
        status=PartnershipStatus.ACTIVE,
    )
    audit("directory.organisation.created", hub=hub, actor=by, obj=organisation)
    return organisation


@transaction.atomic
def organisation_update(
    *, hub: Hub, organisation: Organisation, by: Any, expertise: Any = None, **fields: Any
) -> Organisation:
    """Change an organisation's details. Register fields of schools are left to the import."""
    changed = [
        k for k, v in fields.items() if k in ORGANISATION_FIELDS and v != getattr(organisation, k)
    ]
    if "kind" in changed and OrganisationKind.SCHOOL in (organisation.kind, fields["kind"]):
        raise DirectoryError("Schools come from the official register: their kind cannot change.")
    for name in changed:
        setattr(organisation, name, fields[name])
    organisation.full_clean()
    if changed:
        organisation.save(update_fields=[*changed, "updated_at"])
    if expertise is not None and set(expertise) != set(organisation.expertise.all()):
        organisation.expertise.set(expertise)
        changed.append("expertise")
    if changed:
        audit("directory.organisation.updated", hub=hub, actor=by, obj=organisation, fields=changed)
    return organisation


@transaction.atomic
def partnership_accept_commitments(*, partnership: Partnership, by: Any) -> Partnership:
    """Record that a partner accepts the hub's current partner commitments."""
    current = PartnerCommitments.objects.filter(hub=partnership.hub).order_by("-version").first()
    if current is None:
        raise DirectoryError("This hub has not published partner commitments yet.")
    partnership.commitments_accepted = current
    partnership.commitments_accepted_at = timezone.now()
    partnership.save(
        update_fields=["commitments_accepted", "commitments_accepted_at", "updated_at"]
    )
    audit(
        "directory.partnership.commitments_accepted",
        hub=partnership.hub,
        actor=by,
        obj=partnership,
        version=current.version,
    )
    return partnership


HUB_SETTINGS_FIELDS = (
    "name",
    "description",
    "website",
    "contact_email",
    "logo",
    "require_two_factor",
    "privacy_notice",
    "retention_booking_months",
    "retention_audit_months",
    "retention_invitation_days",
)


@transaction.atomic
def hub_settings_update(*, hub: Hub, by: Any, **fields: Any) -> Hub:
    """Change the hub's details, sign-in rule, privacy notice and retention periods."""
    changed = [k for k in HUB_SETTINGS_FIELDS if k in fields and fields[k] != getattr(hub, k)]
    for name in changed:
        setattr(hub, name, fields[name])
    hub.full_clean()
    if changed:
        hub.save(update_fields=[*changed, "updated_at"])
        audit("directory.hub.settings_changed", hub=hub, actor=by, obj=hub, fields=changed)
    return hub
