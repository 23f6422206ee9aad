"""Writes to the directory. Each is atomic and audited."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tutti.core.audit import audit
from tutti.core.errors import DomainError
from tutti.core.models import model_update
from tutti.directory.models import (
    Hub,
    Organisation,
    OrganisationKind,
    PartnerCommitments,
    Partnership,
    PartnershipStatus,
)
from tutti.directory.postcodes import clean_postcode, postcode_district
from tutti.directory.selectors import already_listed, organisation_named

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


class DirectoryError(DomainError):
    """A directory change that the rules do not allow; the message is for the user."""


@transaction.atomic
def organisation_create(*, hub: Hub, by: Any, expertise: Any = (), **fields: Any) -> Organisation:
    """Add a partner organisation to the hub's directory (schools come from the register)."""
    if fields.get("kind") == OrganisationKind.SCHOOL:
        raise DirectoryError("Schools come from the official register: import it to add one.")
    organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    _place(organisation, fields)
    _check(hub=hub, organisation=organisation)
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
    if "postcode" in changed:
        changed += [name for name in _place(organisation, fields) if name not in changed]
    _check(hub=hub, organisation=organisation, changed=changed)
    if changed:
        organisation.save(update_fields=[*changed, "updated_at"])
    if expertise is not None and set(expertise) != set(organisation.expertise.all()):
        organisation.expertise.set(expertise)
        changed.append("expertise")
    if changed:
        audit("directory.organisation.updated", hub=hub, actor=by, obj=organisation, fields=changed)
    return organisation


def _place(organisation: Organisation, fields: dict[str, Any]) -> list[str]:
    """Write the postcode the standard way and, unless a position was given, put the
    organisation at the middle of its postcode district. The fields it changed.

    A postcode that is not one is left as it is, for ``_check`` to report."""
    if not isinstance(organisation.postcode, str):
        return []  # null through the API, which _check refuses
    try:
        organisation.postcode = clean_postcode(organisation.postcode)
    except ValidationError:
        return []
    if fields.get("latitude") is not None or fields.get("longitude") is not None:
        return []
    district = postcode_district(organisation.postcode)
    position = (district.latitude, district.longitude) if district else (None, None)
    if (organisation.latitude, organisation.longitude) == position:
        return []
    organisation.latitude, organisation.longitude = position
    return ["latitude", "longitude"]


def _check(*, hub: Hub, organisation: Organisation, changed: list[str] | None = None) -> None:
    """The model's own checks and the directory's, every problem at once: a real postcode, one
    organisation of each name in the hub's directory, and a local authority of the hub's.

    ``changed`` (on an update) limits the directory's checks to what the update changes, so an
    old duplicate or another hub's authority never blocks an unrelated edit."""
    errors: dict[str, list[str]] = {}
    try:
        organisation.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if changed is None or "postcode" in changed:
        try:
            if not isinstance(organisation.postcode, str):
                raise ValidationError("Give a postcode, or an empty one for none; not null.")
            clean_postcode(organisation.postcode)
        except ValidationError as error:
            # Ours says what a postcode looks like; the model's only that it is too long.
            errors["postcode"] = error.messages
    if "name" not in errors and (changed is None or "name" in changed):
        same = organisation_named(hub=hub, name=organisation.name, exclude=organisation.pk)
        if same is not None:
            errors["name"] = [already_listed(same)]
    la = organisation.local_authority
    if (
        la is not None
        and (changed is None or "local_authority" in changed)
        and not hub.local_authorities.filter(pk=la.pk).exists()
    ):
        errors["local_authority"] = [f"{la.name} is not one of {hub.name}'s local authorities."]
    if errors:
        raise ValidationError(errors)


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
    data = {k: fields[k] for k in HUB_SETTINGS_FIELDS if k in fields}
    changed = model_update(hub, data, validate=True)
    if changed:
        audit("directory.hub.settings_changed", hub=hub, actor=by, obj=hub, fields=changed)
    return hub
