"""CPD certificates: a tagged PDF (PDF/UA-1) per day attended or for the school year, with a
verification address printed on it.

The address carries a signed code naming the member and the day (or year); it is checked
against what Tutti records now, so a certificate stays genuine only while the attendance it
states is on record, and an altered code is refused as not genuine.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tutti.core.links import LinkProblem, read_signed, sign
from tutti.core.text import strip_controls
from tutti.core.urls import absolute_url
from tutti.core.years import year_label
from tutti.cpd.models import MemberStatus, NetworkMember
from tutti.cpd.selectors import CpdRecord, member_record, network_hub
from tutti.directory.models import Hub

SALT = "tutti.cpd.certificate"
# A certificate is kept for a career, so its code does not expire.
MAX_AGE = timedelta(days=365 * 50)
NOT_GENUINE = (
    "This is not a genuine certificate: the code does not match one that Tutti issued. "
    "Check that the address was copied in full, or ask the hub that runs the network."
)


@dataclass
class Certificate:
    member: NetworkMember
    day_id: int | None
    year: int
    record: CpdRecord
    code: str

    @property
    def title(self) -> str:
        if self.day_id is not None and self.record.days:
            return f"{self.record.days[0].day.event.title}"
        return f"{self.member.network.name}, {year_label(self.year)}"

    @property
    def hours(self) -> float:
        return round(sum(d.hours for d in self.record.days), 2)


def certificate_code(*, member: NetworkMember, day_id: int | None, year: int) -> str:
    return sign({"m": member.pk, "d": day_id, "y": year}, salt=SALT)


def certificate_for(*, member: NetworkMember, day_id: int | None, year: int) -> Certificate | None:
    """The certificate, or None when the member attended nothing it would cover."""
    record = member_record(member=member, year=year)
    if day_id is not None:
        record.days = [d for d in record.days if d.day.pk == day_id]
    if not record.days:
        return None
    code = certificate_code(member=member, day_id=day_id, year=year)
    return Certificate(member, day_id, year, record, code)


def certificate_verify(*, hub: Hub, code: str) -> Certificate:
    """The certificate a code stands for; LinkProblem (404) when it is altered or not backed by
    recorded attendance in this hub."""
    value = read_signed(code, salt=SALT, max_age=MAX_AGE, expired=NOT_GENUINE, broken=NOT_GENUINE)
    try:
        member_id, day_id, year = int(value["m"]), value["d"], int(value["y"])
    except (TypeError, KeyError, ValueError):
        raise LinkProblem(NOT_GENUINE, 404) from None
    member = (
        NetworkMember.objects.filter(pk=member_id, network__hub=hub)
        .exclude(status=MemberStatus.INVITED)
        .select_related("network", "school")
        .first()
    )
    certificate = (
        certificate_for(member=member, day_id=day_id, year=year) if member is not None else None
    )
    if certificate is None:
        raise LinkProblem(NOT_GENUINE, 404)
    return certificate


def verify_url(certificate: Certificate, request: HttpRequest | None = None) -> str:
    network = certificate.member.network
    return absolute_url(
        reverse(
            "cpd:verify", kwargs={"hub_slug": network_hub(network).slug, "token": certificate.code}
        ),
        request,
    )


def certificate_pdf(*, certificate: Certificate, request: HttpRequest) -> bytes:
    """The certificate as a tagged PDF. WeasyPrint is imported here: only this needs Pango."""
    from weasyprint import HTML

    context = {
        "certificate": certificate,
        "member": certificate.member,
        "network": certificate.member.network,
        "hub": certificate.member.network.hub,
        "year_label": year_label(certificate.year),
        "verify_url": verify_url(certificate, request),
        "issued": timezone.localdate(),
    }
    html = strip_controls(render_to_string("cpd/certificate.html", context, request=request))
    return HTML(string=html, base_url=absolute_url("/", request)).write_pdf(pdf_variant="pdf/ua-1")
