"""Every table of the platform, in one Tortoise app called `models`."""

from matchmaking.models.accounts import (
    Account,
    ApiToken,
    AuthThrottle,
    PasswordResetToken,
    SignUp,
    WebSession,
)
from matchmaking.models.catalogue import Producer, Product, ProductImage
from matchmaking.models.certificates import CertificateEntry, CertificateReminder
from matchmaking.models.demand import (
    Buyer,
    Demand,
    Match,
    MatchAnnouncement,
    Quote,
    SourcingShare,
)
from matchmaking.models.fairs import (
    AllocationRun,
    Booth,
    BoothApplication,
    BoothAssignment,
    Fair,
    Hall,
)
from matchmaking.models.meetings import Meeting, MeetingRequest, MeetingSession
from matchmaking.models.participation import MeetingParticipant, MeetingResult
from matchmaking.models.system import AuditLog, EmailMessage, JobState, Notification, SearchOutbox

__all__ = [
    "Account",
    "AllocationRun",
    "ApiToken",
    "AuditLog",
    "AuthThrottle",
    "Booth",
    "BoothApplication",
    "BoothAssignment",
    "Buyer",
    "CertificateEntry",
    "CertificateReminder",
    "Demand",
    "EmailMessage",
    "Fair",
    "Hall",
    "JobState",
    "Match",
    "MatchAnnouncement",
    "Meeting",
    "MeetingParticipant",
    "MeetingRequest",
    "MeetingResult",
    "MeetingSession",
    "Notification",
    "PasswordResetToken",
    "Producer",
    "Product",
    "ProductImage",
    "Quote",
    "SearchOutbox",
    "SignUp",
    "SourcingShare",
    "WebSession",
]
