"""The events pages, by topic, as pretix arranges its views: the urls modules import these.

- ``public``: the What's On and an event's page, with its booking form;
- ``bookings``: a booking's own page, cancelling it, and a person's bookings;
- ``feeds``: calendars to subscribe to or download;
- ``manage``: creating, editing, publishing and cancelling events, their bookings and
  attendee lists, for staff, coordinators and partners;
- ``attendance``: registers and CPD records.

Who may do what is decided in ``tutti.events.access``, as for the API.
"""
