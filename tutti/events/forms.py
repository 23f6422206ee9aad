from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone

from tutti.clusters.models import Cluster
from tutti.directory.models import Hub
from tutti.events.models import (
    AUDIENCE_FIELDS,
    MAX_PLACES_PER_BOOKING,
    AttendanceStatus,
    Audience,
    Event,
)
from tutti.events.selectors import EventFilters, hub_categories
from tutti.events.services import SessionSpec

ANY = [("", "Any")]
# Dates outside these years are typing mistakes (and would overflow date arithmetic).
EARLIEST, LATEST = date(2000, 1, 1), date(2199, 12, 31)
PRICES = [("", "Free or paid"), ("free", "Free"), ("paid", "Paid")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EventFilterForm(forms.Form):
    """What's On filters, from the query string. A bad value is reported and left out."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ChoiceField(label="Category", required=False)
    cluster = forms.ChoiceField(label="Cluster", required=False)
    audience = forms.ChoiceField(label="For", required=False, choices=ANY + Audience.choices)
    date_from = forms.DateField(label="From", required=False, widget=DateInput)
    date_to = forms.DateField(label="To", required=False, widget=DateInput)
    price = forms.ChoiceField(label="Price", required=False, choices=PRICES)

    def __init__(self, *args, hub, categories, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = ANY + [(c.slug, c.name) for c in categories]
        self.fields["cluster"].choices = ANY + [(c.slug, c.name) for c in clusters]
        for name in ("category", "cluster", "audience"):
            self.fields[name].error_messages["invalid_choice"] = (
                f"There is no {name} “%(value)s” in this hub's What's On."
            )
        self.fields["price"].error_messages["invalid_choice"] = "Price must be free or paid."
        for name, label in (("date_from", "From"), ("date_to", "To")):
            self.fields[name].error_messages["invalid"] = f"{label}: enter a date like 2026-07-15."

    def _clean_day(self, name: str, label: str):
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST.year <= day.year <= LATEST.year:
            raise forms.ValidationError(
                f"{label}: enter a date between {EARLIEST.year} and {LATEST.year}."
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from", "From")

    def clean_date_to(self):
        return self._clean_day("date_to", "To")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "To: the date is before the From date.")
        return data

    def filters(self) -> EventFilters:
        """The filters that were given and valid; the others are dropped, with a message."""
        if not self.is_bound:
            return EventFilters()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return EventFilters(
            q=data.get("q") or "",
            category=data.get("category") or "",
            cluster=data.get("cluster") or "",
            audience=data.get("audience") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            price=data.get("price") or "",
        )

    def problems(self) -> list[str]:
        return [str(e) for errors in self.errors.values() for e in errors] if self.is_bound else []


def event_filter_form(data: Mapping[str, Any] | None, *, hub: Hub) -> EventFilterForm:
    """A hub's What's On filters, the same for its page, its calendar feed and the API."""
    return EventFilterForm(
        data,
        hub=hub,
        categories=list(hub_categories(hub=hub)),
        clusters=list(Cluster.objects.filter(hub=hub).order_by("name")),
    )


class BookingForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(
        label="Email address",
        help_text="We send the confirmation and a link to cancel here.",
    )
    organisation_name = forms.CharField(
        label="School or organisation", max_length=200, required=False
    )
    places = forms.TypedChoiceField(
        label="Places",
        choices=[(n, str(n)) for n in range(1, MAX_PLACES_PER_BOOKING + 1)],
        coerce=int,
        initial=1,
        help_text=f"You and anyone coming with you, up to {MAX_PLACES_PER_BOOKING}.",
        error_messages={"invalid_choice": f"Choose from 1 to {MAX_PLACES_PER_BOOKING} places."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and "places" not in self.data:
            # A page from before places were asked (still open in a browser) books one.
            self.data = self.data.copy()
            self.data["places"] = "1"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label="Why is it cancelled?",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Included in the email to everyone who booked.",
    )


class EventForm(forms.ModelForm):
    online_link = forms.URLField(
        label="Online link",
        required=False,
        assume_scheme="https",
        help_text="Sent to people with a place; never shown on the public page.",
    )
    audiences = forms.MultipleChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "summary",
            "description",
            "category",
            "audiences",
            "cluster",
            "organiser",
            "venue",
            "venue_name",
            "venue_address",
            "is_online",
            "online_link",
            "capacity",
            "price",
            "payment_instructions",
            "booking_opens_at",
            "booking_closes_at",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "payment_instructions": forms.Textarea(attrs={"rows": 3}),
            "booking_opens_at": DateTimeInput,
            "booking_closes_at": DateTimeInput,
        }
        labels = {
            "price": "Price (£)",
            "venue": "Venue from the directory",
            "venue_name": "Or type the venue's name",
            "booking_opens_at": "Booking opens",
            "booking_closes_at": "Booking closes",
            "is_online": "It takes place online (or also online)",
        }
        help_texts = {
            "venue": "A school or partner in the hub's directory. Needed before you publish, "
            "unless the event is only online.",
            "venue_name": "For a place that is not in the directory, such as a cathedral or a "
            "village hall.",
            "payment_instructions": "For a paid event: how and when to pay (by invoice, by "
            "bank transfer, on the door). Shown on the event's page and in the confirmation "
            "email.",
            "booking_opens_at": "Leave empty to open booking when the event is published.",
            "booking_closes_at": "Leave empty to take bookings until it starts.",
        }

    def __init__(
        self, *args, categories, clusters, organisations, venues, own_only=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["category"].empty_label = None
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].empty_label = "None: not a cluster's event"
        self.fields["organiser"].queryset = organisations
        self.fields["organiser"].empty_label = "The hub"
        if own_only:
            # Someone who runs only their own clusters' or organisations' events: offer no
            # choice that the page would then refuse.
            has_clusters, has_organisations = clusters.exists(), organisations.exists()
            if has_clusters:
                self.fields["cluster"].empty_label = (
                    "None: my organisation's event" if has_organisations else None
                )
                self.fields["cluster"].required = not has_organisations
                self.fields["cluster"].error_messages["required"] = (
                    "Choose one of the clusters you coordinate."
                )
            if has_organisations:
                self.fields["organiser"].empty_label = (
                    "None: my cluster's event" if has_clusters else None
                )
                self.fields["organiser"].required = not has_clusters
                self.fields["organiser"].error_messages["required"] = (
                    "Choose one of the organisations you work for."
                )
        self.fields["venue"].queryset = venues
        self.fields["venue"].empty_label = "Not in the directory, not decided yet, or online"
        # Optional to save a draft, but needed to publish: say that rather than "(optional)".
        self.fields["venue"].needed_to_publish = True
        self.fields["capacity"].widget.attrs["min"] = 1
        self.fields["price"].widget.attrs["min"] = 0
        if self.instance.pk:
            self.initial["audiences"] = self.instance.audience_values

    def clean(self):
        data = super().clean()
        if data.get("venue") and data.get("venue_name"):
            self.add_error(
                "venue_name",
                "Choose a venue from the directory or type one in, not both.",
            )
        if data.get("venue_address") and not data.get("venue_name") and not data.get("venue"):
            self.add_error("venue_name", "Type the venue's name as well as its address.")
        price = data.get("price")
        if price and price > 0 and not (data.get("payment_instructions") or "").strip():
            self.add_error(
                "payment_instructions",
                "Say how to pay, as this event has a price. Set the price to 0 if it is free.",
            )
        return data

    def event_fields(self) -> dict:
        data = dict(self.cleaned_data)
        audiences = set(data.pop("audiences", []))
        for audience, field in AUDIENCE_FIELDS.items():
            data[field] = audience in audiences
        return data


class SessionForm(forms.Form):
    date = forms.DateField(
        label="Date",
        widget=DateInput,
        error_messages={
            "required": "Enter the date.",
            "invalid": "Enter a date like 2026-07-15.",
        },
    )
    start = forms.TimeField(
        label="Starts",
        widget=TimeInput,
        error_messages={"required": "Enter the start time.", "invalid": "Enter a time like 18:00."},
    )
    end = forms.TimeField(
        label="Ends",
        widget=TimeInput,
        error_messages={"required": "Enter the end time.", "invalid": "Enter a time like 20:00."},
    )
    title = forms.CharField(
        label="Session name", required=False, max_length=200, help_text="Only for a series."
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "The session must end after it starts.")
        return data

    def spec(self) -> SessionSpec:
        london = timezone.get_current_timezone()
        data = self.cleaned_data
        return SessionSpec(
            starts_at=datetime.combine(data["date"], data["start"], tzinfo=london),
            ends_at=datetime.combine(data["date"], data["end"], tzinfo=london),
            title=data.get("title", ""),
        )


class BaseSessionFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "Give the date and times of at least one session.",
        "too_many_forms": "An event can have at most 12 sessions.",
    }

    def error_list(self) -> list[tuple[str, str]]:
        """(anchor, message) for every problem, for the summary at the top of the page."""
        problems = []
        for error in self.non_form_errors():
            first = self.forms[0]["date"].id_for_label if self.forms else ""
            problems.append((first, str(error)))
        too_few = any(e.code == "too_few_forms" for e in self.non_form_errors().as_data())
        for number, form in enumerate(self.forms, start=1):
            if too_few and not form.has_changed():
                continue  # "at least one session" says it once, not "enter the date" too
            for error in form.non_field_errors():
                problems.append((form["date"].id_for_label, f"Session {number}: {error}"))
            for field in form:
                for error in field.errors:
                    problems.append(
                        (field.id_for_label, f"Session {number}, {field.label.lower()}: {error}")
                    )
        return problems


SessionFormSet = forms.formset_factory(
    SessionForm,
    formset=BaseSessionFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    max_num=12,
    validate_max=True,
    can_delete=True,
)


def session_initial(event: Event) -> list[dict]:
    rows = []
    for session in event.sessions.order_by("starts_at", "pk"):
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        rows.append(
            {"date": start.date(), "start": start.time(), "end": end.time(), "title": session.title}
        )
    return rows


def session_specs(formset) -> list[SessionSpec]:
    return [
        form.spec()
        for form in formset.forms
        if form.cleaned_data.get("date") and not form.cleaned_data.get("DELETE")
    ]


class AttendanceForm(forms.Form):
    """One attended/absent choice per person with a place; a row left alone is not recorded."""

    def __init__(self, *args, register, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for row in register:
            name = f"booking-{row.booking.pk}"
            self.fields[name] = forms.ChoiceField(
                label=row.booking.name,
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=row.status,
            )
            self.fields[name].error_messages["invalid_choice"] = (
                f"{row.booking.name}: choose attended or absent."
            )
            self.rows.append((row, name))

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.values()):
            raise forms.ValidationError("Choose attended or absent for at least one person.")
        return data

    def marks(self) -> dict[int, str]:
        return {
            row.booking.pk: self.cleaned_data[name]
            for row, name in self.rows
            if self.cleaned_data.get(name)
        }

    def register(self):
        """(row, bound field) pairs, for the template's table."""
        return [(row, self[name]) for row, name in self.rows]


class PersonForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="The address they booked with.",
        error_messages={"invalid": "Enter a valid email address, like name@example.org."},
    )
