"""DomainError carries a message for the person and the HTTP status that fits."""

import pytest

from tutti.core.errors import ConflictError, DomainError


class EventError(DomainError):
    pass


class Gone(DomainError):
    status = 410


def test_a_domain_error_is_400_with_its_message():
    error = DomainError("The event has already started.")
    assert error.status == 400
    assert error.message == "The event has already started."
    assert str(error) == "The event has already started."


def test_a_status_can_be_given():
    assert DomainError("Not yours.", status=403).status == 403


def test_a_conflict_is_409_and_still_a_domain_error():
    error = ConflictError("That name is in use.")
    assert error.status == 409
    assert isinstance(error, DomainError)


def test_a_given_status_wins_over_the_class_default():
    assert ConflictError("Gone.", status=410).status == 410


def test_an_apps_subclass_keeps_or_sets_its_own_default():
    assert EventError("Full.").status == 400
    assert Gone("The link was replaced.").status == 410


def test_giving_a_status_does_not_change_the_class():
    DomainError("One off.", status=418)
    assert DomainError.status == 400
    assert DomainError("Next.").status == 400


def test_it_is_raised_and_caught_as_the_base():
    with pytest.raises(DomainError, match="already cancelled") as caught:
        raise EventError("The event is already cancelled.")
    assert caught.value.status == 400
