"""The audit actions this app writes."""

from enum import StrEnum


class PrivacyAction(StrEnum):
    ACCESS_REQUEST = "privacy.access_request.downloaded"
    OWN_DATA = "privacy.own_data.downloaded"
    PERSON_LOOKED_UP = "privacy.person.looked_up"
    PERSON_ERASED = "privacy.person.erased"
    RETENTION_APPLIED = "privacy.retention.applied"
    AUDIT_LOG_READ = "privacy.audit_log.read"
