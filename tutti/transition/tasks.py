"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from django_tasks import task

from tutti.transition.models import Passport, PassportStatus


@task()
def send_passport_link(*, passport_id: int) -> None:
    """Email a family the link to their passport, unless it has gone meanwhile."""
    from tutti.transition.emails import passport_link_email

    passport = Passport.objects.select_related("hub").filter(pk=passport_id).first()
    if passport is None or not passport.family_email:
        return
    passport_link_email(passport).send()


@task()
def send_passport_received(*, passport_id: int) -> None:
    """Tell the receiving school a passport has arrived, unless it was withdrawn meanwhile."""
    from tutti.transition.emails import passport_received_email

    passport = (
        Passport.objects.select_related("hub", "secondary", "primary")
        .filter(pk=passport_id, status=PassportStatus.SENT)
        .first()
    )
    if passport is None:
        return
    message = passport_received_email(passport)
    if message is not None:
        message.send()
