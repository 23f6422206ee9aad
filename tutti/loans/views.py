"""The instrument library's pages: staff at /<hub>/manage/loans/, families at /<hub>/instruments/.
Thin: each asks access.py, then a selector or a service."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tutti.core.audit import audit
from tutti.core.errors import DomainError
from tutti.core.years import academic_year_for
from tutti.loans import access, selectors, services
from tutti.loans.forms import (
    AcceptForm,
    AgreementForm,
    DecisionForm,
    ExtendForm,
    FeeForm,
    ImportForm,
    InstrumentForm,
    IssueForm,
    PaidForm,
    RepairCloseForm,
    RepairForm,
    RequestForm,
    ReturnForm,
    SchoolIssueForm,
    SearchForm,
    SettingsForm,
    TermForm,
)
from tutti.loans.kinds import TYPES_BY_KEY
from tutti.loans.models import Instrument, Status, Term
from tutti.loans.tokens import LinkProblem
from tutti.tenancy.pages import hub_permission_required, public_hub_view
from tutti.tenancy.request import HubRequest, MemberRequest

PER_PAGE = 50


def read_pupils(request: Any, what: str, **data: Any) -> None:
    """Record that someone saw pupils' names (children's data), once per page view."""
    audit(
        f"read.loans.{what}",
        hub=request.hub,
        actor=request.user,
        path=request.get_full_path()[:500],
        **data,
    )


def _form_error(form: Any, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, str(error))


def _manage(name: str, request: HubRequest, *args: Any) -> str:
    return reverse(f"loans-manage:{name}", args=[request.hub.slug, *args])


# The store -----------------------------------------------------------------------------------


@hub_permission_required("can_manage_loans")
def dashboard(request: MemberRequest, hub_slug: str) -> HttpResponse:
    data = selectors.dashboard(hub=request.hub)
    return render(request, "loans/dashboard.html", {"data": data})


@hub_permission_required("can_keep_instruments")
def instrument_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    owners = access.store_owners(request.membership)
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    query = filters.get("q", "")
    if query:
        exact = selectors.instrument_by_tag(hub=request.hub, tag=query, owners=owners)
        if exact is not None:
            # Typing (or scanning) a whole tag goes straight to the instrument.
            return redirect(_manage("instrument", request, exact.pk))
    found = selectors.instrument_list(
        hub=request.hub,
        owners=owners,
        query=query,
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "loans/instrument_list.html",
        {
            "form": form,
            "page": page,
            "query": query_string.urlencode(),
            "whole_store": owners is None,
            "status": 200 if not form.is_bound or form.is_valid() else 400,
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@hub_permission_required("can_keep_instruments")
def instrument_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    instrument = access.instrument_for(hub=request.hub, membership=request.membership, pk=pk)
    loans, repairs = selectors.instrument_history(instrument=instrument)
    staff = request.membership.has_capability("can_manage_loans")
    if staff and loans:
        read_pupils(request, "instrument_history", instrument=instrument.pk)
    return render(
        request,
        "loans/instrument_detail.html",
        {
            "instrument": instrument,
            "loans": loans if staff else [],
            "repairs": repairs,
            "staff": staff,
            "repair_form": RepairForm(),
        },
    )


def _instrument_form(request: MemberRequest, instrument: Instrument | None) -> HttpResponse:
    owners = access.owner_choices(hub=request.hub, membership=request.membership)
    form = InstrumentForm(request.POST or None, instance=instrument, owners=owners)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {**form.cleaned_data}
            try:
                saved = services.instrument_save(
                    hub=request.hub,
                    instrument=instrument,
                    data=data,
                    owners=selectors.owner_choices(
                        hub=request.hub, owners=access.store_owners(request.membership)
                    ),
                    by=request.user,
                )
            except (ValidationError, DomainError) as error:
                _form_error(form, error)
            else:
                messages.success(request, f"Saved {saved.asset_tag}.")
                return redirect(_manage("instrument", request, saved.pk))
        status = 400
    return render(
        request,
        "loans/instrument_form.html",
        {"form": form, "instrument": instrument, "no_owner": not owners},
        status=status,
    )


@hub_permission_required("can_keep_instruments")
def instrument_create(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return _instrument_form(request, None)


@hub_permission_required("can_keep_instruments")
def instrument_edit(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    instrument = access.instrument_for(hub=request.hub, membership=request.membership, pk=pk)
    return _instrument_form(request, instrument)


@hub_permission_required("can_keep_instruments")
def instrument_label(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    """A printable label: the asset tag, as text and as a QR code a phone can scan."""
    from tutti.loans.labels import qr_svg

    instrument = access.instrument_for(hub=request.hub, membership=request.membership, pk=pk)
    return render(
        request,
        "loans/instrument_label.html",
        {"instrument": instrument, "qr": qr_svg(instrument.asset_tag)},
    )


@hub_permission_required("can_keep_instruments")
def instrument_label_png(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    from tutti.loans.labels import qr_png

    instrument = access.instrument_for(hub=request.hub, membership=request.membership, pk=pk)
    return HttpResponse(qr_png(instrument.asset_tag), content_type="image/png")


@hub_permission_required("can_keep_instruments")
def instrument_import(request: MemberRequest, hub_slug: str) -> HttpResponse:
    from tutti.loans import spreadsheet
    from tutti.loans.models import Instrument

    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            owners = access.owner_choices(hub=request.hub, membership=request.membership)
            existing = {
                (key, value.upper())
                for tag, serial in Instrument.objects.filter(hub=request.hub).values_list(
                    "asset_tag", "serial"
                )
                for key, value in (("asset_tag", tag), ("serial", serial))
                if value
            }
            try:
                report = spreadsheet.check_file(
                    hub=request.hub,
                    file=form.cleaned_data["file"],
                    owners=owners,
                    existing=existing,
                )
                if report.ok:
                    count = services.instruments_import(
                        hub=request.hub, instruments=report.instruments, by=request.user
                    )
                    messages.success(request, f"Added {count} instruments to the store.")
                    return redirect(_manage("instruments", request))
            except DomainError as error:
                form.add_error("file", error.message)
    return render(
        request,
        "loans/instrument_import.html",
        {"form": form, "report": report, "headers": spreadsheet.HEADERS},
        status=status,
    )


@hub_permission_required("can_keep_instruments")
def import_template(request: MemberRequest, hub_slug: str) -> HttpResponse:
    import csv

    from tutti.loans.spreadsheet import template_rows

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="instruments-template.csv"'
    writer = csv.writer(response)
    writer.writerows(template_rows())
    return response


# Requests and the waiting lists ------------------------------------------------------------


@public_hub_view
def request_form(request: HubRequest, hub_slug: str) -> HttpResponse:
    """A parent, carer or school asks for an instrument for a pupil: no account needed."""
    form = RequestForm(request.POST or None, schools=selectors.hub_schools(hub=request.hub))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                found = services.request_create(hub=request.hub, data=form.cleaned_data)
            except (ValidationError, DomainError) as error:
                _form_error(form, error)
            else:
                from tutti.loans.emails import follow_url

                messages.success(
                    request,
                    f"Thank you: {found.first_name} is on the waiting list for a "
                    f"{found.type_and_size.lower()}. We have emailed you this page's address.",
                )
                return redirect(follow_url(hub=request.hub, what="request", key=found.pk))
        status = 400
    return render(
        request,
        "loans/request_form.html",
        {"form": form, "settings": selectors.loan_settings(hub=request.hub)},
        status=status,
    )


@public_hub_view
def follow(request: HubRequest, hub_slug: str, token: str) -> HttpResponse:
    """A family's request, or a school's loans, through the emailed link; accept the agreement."""
    try:
        found, loans = access.followed(hub=request.hub, token=token)
    except LinkProblem as problem:
        return render(
            request, "core/link_problem.html", {"message": problem.message}, status=problem.status
        )
    pending = [loan for loan in loans if loan.accepted_at is None and loan.returned_on is None]
    form = AcceptForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.agreement_accept(
                    hub=request.hub, loans=pending, name=form.cleaned_data["name"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, "Thank you: you have accepted the loan agreement.")
                return redirect(request.path)
    position = None
    if found is not None and found.status == "waiting":
        queue = list(
            selectors.waiting_queue(hub=request.hub, kind=found.kind, size=found.size).values_list(
                "pk", flat=True
            )
        )
        position = queue.index(found.pk) + 1 if found.pk in queue else None
    response = render(
        request,
        "loans/follow.html",
        {
            "found": found,
            "loans": loans,
            "pending": pending,
            "form": form,
            "position": position,
            "agreement": selectors.agreement_current(hub=request.hub),
            "settings": selectors.loan_settings(hub=request.hub),
        },
        status=status,
    )
    response["Referrer-Policy"] = "same-origin"
    return response


@hub_permission_required("can_manage_loans")
def queue(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """The waiting lists, per type and size, with the stock that could serve them beside."""
    kind = request.GET.get("kind", "")
    size = request.GET.get("size", "")
    if kind and kind not in TYPES_BY_KEY:
        kind, size = "", ""
    waiting = selectors.waiting_queue(hub=request.hub, kind=kind, size=size)
    page = Paginator(waiting, PER_PAGE).get_page(request.GET.get("page"))
    read_pupils(request, "queue", kind=kind, size=size)
    return render(
        request,
        "loans/queue.html",
        {
            "summary": selectors.queue_summary(hub=request.hub),
            "page": page,
            "kind": kind,
            "size": size,
            "settings": selectors.loan_settings(hub=request.hub),
        },
    )


def _request_or_404(request: MemberRequest, pk: int) -> Any:
    found = selectors.request_get(hub=request.hub, pk=pk)
    if found is None:
        raise Http404("No such request.")
    return found


@hub_permission_required("can_manage_loans")
def request_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    found = _request_or_404(request, pk)
    issue_form = IssueForm(request.POST if "issue" in request.POST else None)
    decision_form = DecisionForm(
        request.POST if "decide" in request.POST else None,
        initial={"ground": found.ground, "evidence_seen": found.evidence_seen},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if "issue" in request.POST and issue_form.is_valid():
            try:
                loan = services.loan_issue(
                    hub=request.hub, found=found, by=request.user, **issue_form.cleaned_data
                )
            except DomainError as error:
                issue_form.add_error("asset_tag", error.message)
            else:
                messages.success(
                    request,
                    f"Lent {loan.instrument.asset_tag} to {found.pupil_name}. We have emailed "
                    "the family the agreement to accept.",
                )
                return redirect(_manage("loan", request, loan.pk))
        elif "decide" in request.POST and decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                services.remission_decide(
                    found=found,
                    granted=data["decision"] == "granted",
                    ground=data["ground"],
                    evidence_seen=data["evidence_seen"],
                    by=request.user,
                )
            except DomainError as error:
                decision_form.add_error(None, error.message)
            else:
                messages.success(request, "Decision saved.")
                return redirect(request.path)
        elif "withdraw" in request.POST:
            try:
                services.request_withdraw(found=found, by=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            return redirect(_manage("queue", request))
    read_pupils(request, "request", request_id=found.pk)
    return render(
        request,
        "loans/request_detail.html",
        {
            "found": found,
            "issue_form": issue_form,
            "decision_form": decision_form,
            "suggested": selectors.suggested_instruments(found=found),
            "loans": selectors.loans_of_request(found=found),
        },
        status=status,
    )


# Loans --------------------------------------------------------------------------------------


@hub_permission_required("can_manage_loans")
def loan_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    if request.method == "POST" and "remind" in request.POST:
        services.reminders_queue(hub=request.hub, by=request.user)
        messages.success(
            request,
            "Reminders are on their way to every borrower whose instrument is overdue (at most "
            "one a week each).",
        )
        return redirect(_manage("loans", request) + "?overdue=1")
    loans = selectors.open_loans(hub=request.hub, overdue=overdue)
    page = Paginator(loans, PER_PAGE).get_page(request.GET.get("page"))
    read_pupils(request, "loans", overdue=overdue)
    return render(
        request,
        "loans/loan_list.html",
        {"page": page, "overdue": overdue, "today": timezone.localdate()},
    )


@hub_permission_required("can_manage_loans")
def loan_detail(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    loan = selectors.loan_get(hub=request.hub, pk=pk)
    if loan is None:
        raise Http404("No such loan.")
    return_form = ReturnForm(request.POST if "return" in request.POST else None)
    extend_form = ExtendForm(request.POST if "extend" in request.POST else None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "return" in request.POST and return_form.is_valid():
                back = services.loan_return(loan=loan, by=request.user, **return_form.cleaned_data)
                repair = back.instrument.status == Status.IN_REPAIR
                messages.success(
                    request,
                    f"{back.instrument.asset_tag} is back"
                    + (" and sent to repair." if repair else "."),
                )
                return redirect(request.path)
            if "extend" in request.POST and extend_form.is_valid():
                services.loan_extend(loan=loan, by=request.user, **extend_form.cleaned_data)
                messages.success(request, f"The loan now ends on {loan.due_on:%-d %B %Y}.")
                return redirect(request.path)
        except DomainError as error:
            (return_form if "return" in request.POST else extend_form).add_error(
                None, error.message
            )
    read_pupils(request, "loan", loan=loan.pk)
    return render(
        request,
        "loans/loan_detail.html",
        {
            "loan": loan,
            "return_form": return_form,
            "extend_form": extend_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@hub_permission_required("can_manage_loans")
def school_issue(request: MemberRequest, hub_slug: str) -> HttpResponse:
    """Lend a class set to a school for whole-class teaching: many instruments at once."""
    form = SchoolIssueForm(request.POST or None, schools=selectors.hub_schools(hub=request.hub))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                loans = services.loans_issue_to_school(
                    hub=request.hub,
                    school=data["school"],
                    asset_tags=form.tags(),
                    email=data["email"],
                    starts_on=data["starts_on"],
                    due_on=data["due_on"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error("asset_tags", error.message)
            else:
                messages.success(
                    request, f"Lent {len(loans)} instruments to {data['school'].name}."
                )
                return redirect(_manage("loans", request))
    return render(request, "loans/school_issue.html", {"form": form}, status=status)


# Repairs ------------------------------------------------------------------------------------


@hub_permission_required("can_keep_instruments")
def repair_open(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    instrument = access.instrument_for(hub=request.hub, membership=request.membership, pk=pk)
    if request.method != "POST":
        return redirect(_manage("instrument", request, instrument.pk))
    form = RepairForm(request.POST)
    if form.is_valid():
        try:
            services.repair_open(instrument=instrument, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{instrument.asset_tag} is in repair.")
    else:
        messages.error(request, "Describe the fault to send it to repair.")
    return redirect(_manage("instrument", request, instrument.pk))


@hub_permission_required("can_keep_instruments")
def instrument_retire(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    instrument = access.instrument_for(hub=request.hub, membership=request.membership, pk=pk)
    if request.method == "POST":
        retire = request.POST.get("retire") == "1"
        try:
            services.instrument_retire(instrument=instrument, retire=retire, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"{instrument.asset_tag} is "
                + ("retired: it is no longer lent." if retire else "back in the store."),
            )
    return redirect(_manage("instrument", request, instrument.pk))


@hub_permission_required("can_manage_loans")
def repair_list(request: MemberRequest, hub_slug: str) -> HttpResponse:
    return render(
        request,
        "loans/repair_list.html",
        {
            "repairs": selectors.open_repairs(hub=request.hub)[:200],
            "due": selectors.service_due(hub=request.hub)[:200],
        },
    )


@hub_permission_required("can_manage_loans")
def repair_close(request: MemberRequest, hub_slug: str, pk: int) -> HttpResponse:
    repair = selectors.repair_get(hub=request.hub, pk=pk)
    if repair is None:
        raise Http404("No such repair.")
    form = RepairCloseForm(request.POST or None, initial={"sent_to": repair.sent_to})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.repair_close(repair=repair, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"{repair.instrument.asset_tag} is back and available.")
                return redirect(_manage("repairs", request))
    return render(
        request, "loans/repair_close.html", {"form": form, "repair": repair}, status=status
    )


# Fees, remission policy, agreement and charges ----------------------------------------------


@hub_permission_required("can_manage_loans")
def fees(request: MemberRequest, hub_slug: str) -> HttpResponse:
    current = selectors.loan_settings(hub=request.hub)
    agreement = selectors.agreement_current(hub=request.hub)
    forms_: dict[str, Any] = {
        "fee": FeeForm(request.POST if "fee" in request.POST else None),
        "settings": SettingsForm(
            request.POST if "settings" in request.POST else None,
            initial={
                "priority_rule": current.priority_rule,
                "low_income_percent": current.low_income_percent,
                "how_to_pay": current.how_to_pay,
            },
        ),
        "agreement": AgreementForm(
            request.POST if "agreement" in request.POST else None,
            initial={"text": agreement.text if agreement else ""},
        ),
    }
    status = 200
    if request.method == "POST":
        status = 400
        for name, form in forms_.items():
            if name in request.POST and form.is_valid():
                try:
                    _save_setting(request, name, form.cleaned_data)
                except DomainError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, "Saved.")
                    return redirect(request.path)
    from tutti.loans.kinds import FAMILIES, type_label

    fees_now = sorted(
        (
            (FAMILIES[key[7:]] + " (family)" if key.startswith("family:") else type_label(key)),
            amount,
        )
        for key, amount in selectors.fees(hub=request.hub).items()
    )
    return render(
        request,
        "loans/fees.html",
        {"forms": forms_, "fees": fees_now, "agreement": agreement},
        status=status,
    )


def _save_setting(request: MemberRequest, name: str, data: dict[str, Any]) -> None:
    if name == "fee":
        services.fee_set(hub=request.hub, key=data["key"], amount=data["amount"], by=request.user)
    elif name == "settings":
        services.settings_save(hub=request.hub, data=data, by=request.user)
    else:
        services.agreement_publish(hub=request.hub, text=data["text"], by=request.user)


def _term(request: MemberRequest) -> tuple[int, str, TermForm]:
    today = timezone.localdate()
    default_term = (
        Term.AUTUMN if today.month >= 9 else Term.SPRING if today.month <= 3 else Term.SUMMER
    )
    form = TermForm(
        request.GET or None, initial={"year": academic_year_for(today), "term": default_term}
    )
    if form.is_bound and form.is_valid():
        return form.cleaned_data["year"], form.cleaned_data["term"], form
    return academic_year_for(today), default_term, form


@hub_permission_required("can_manage_loans")
def charges(request: MemberRequest, hub_slug: str) -> HttpResponse:
    year, term, form = _term(request)
    if request.method == "POST":
        if "make" in request.POST:
            count = services.charges_make(hub=request.hub, year=year, term=term, by=request.user)
            messages.success(request, f"Made {count} new charges for the term.")
        elif "paid" in request.POST:
            given = request.POST.get("charge", "")
            charge = (
                selectors.charge_get(hub=request.hub, pk=int(given)) if given.isdigit() else None
            )
            paid = PaidForm(request.POST)
            if charge is None:
                raise Http404("No such charge.")
            try:
                if not paid.is_valid():
                    raise services.LoanError("Enter the date it was paid.")
                services.charge_mark_paid(
                    charge=charge, paid_on=paid.cleaned_data["paid_on"], by=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Marked paid.")
        return redirect(request.get_full_path())
    found = selectors.charges(hub=request.hub, year=year, term=term)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    read_pupils(request, "charges", year=year, term=term)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "loans/charges.html",
        {
            "form": form,
            "page": page,
            "year": year,
            "term": term,
            "term_label": f"{Term(term).label} term {year}/{(year + 1) % 100:02d}",
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "settings": selectors.loan_settings(hub=request.hub),
        },
    )


@hub_permission_required("can_manage_loans")
def charges_export(request: MemberRequest, hub_slug: str, fmt: str) -> HttpResponse:
    from tutti.loans.exports import charges_csv, charges_xlsx

    if fmt not in ("csv", "xlsx"):
        raise Http404("Charges download as csv or xlsx.")
    year, term, _ = _term(request)
    found = selectors.charges(hub=request.hub, year=year, term=term)
    read_pupils(request, "charges_export", year=year, term=term, format=fmt)
    name = f"instrument-charges-{year}-{term}"
    if fmt == "xlsx":
        response = HttpResponse(
            charges_xlsx(found),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(charges_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
