"""The domain's fixed vocabularies, stored as short strings."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PRODUCER = "producer"
    BUYER = "buyer"
    ORGANISER = "organiser"
    OFFICER = "officer"
    ADMIN = "admin"


class Language(StrEnum):
    VI = "vi"
    EN = "en"


class ProducerKind(StrEnum):
    COOPERATIVE = "cooperative"
    COOPERATIVE_GROUP = "cooperative_group"
    ENTERPRISE = "enterprise"
    HOUSEHOLD = "household"


class ProductGroup(StrEnum):
    FOOD = "food"
    BEVERAGES = "beverages"
    HERBAL = "herbal"
    HANDICRAFTS = "handicrafts"  # includes textiles and embroidery since Decision 148
    ORNAMENTAL = "ornamental"
    TOURISM = "tourism"


class DecisionLevel(StrEnum):
    """Who decided a rating: the province (3-4 stars), the centre (5 stars), or a district (old)."""

    PROVINCE = "province"
    CENTRAL = "central"
    DISTRICT = "district"


class Verification(StrEnum):
    """Whether a producer's claimed certificate matches the register."""

    NONE = "none"
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class ProductStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class QualityMark(StrEnum):
    VIETGAP = "vietgap"
    GLOBALGAP = "globalgap"
    ORGANIC = "organic"
    HACCP = "haccp"
    ISO22000 = "iso22000"
    GI = "gi"
    TRACEABILITY = "traceability"


class BuyerKind(StrEnum):
    DISTRIBUTOR = "distributor"
    WHOLESALER = "wholesaler"
    SUPERMARKET = "supermarket"
    EXPORTER = "exporter"
    HORECA = "horeca"
    SOUVENIR_SHOP = "souvenir_shop"


class Recurrence(StrEnum):
    ONCE = "once"
    MONTHLY = "monthly"


class DemandStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    FULFILLED = "fulfilled"
    EXPIRED = "expired"


class QuoteStatus(StrEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class FairStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ALLOCATED = "allocated"
    PUBLISHED = "published"


class BoothKind(StrEnum):
    STANDARD = "standard"
    CORNER = "corner"
    ISLAND = "island"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"


class RunStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class MeetingRequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class MeetingOutcome(StrEnum):
    NOT_HELD = "not_held"
    NO_INTEREST = "no_interest"
    COOPERATION_POSSIBLE = "cooperation_possible"
    DEAL = "deal"


class OutboxOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"


class EmailStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


def sql_in(enum: type[StrEnum]) -> str:
    """A SQL list of an enum's values, for CHECK constraints."""
    return "(" + ", ".join(f"'{member.value}'" for member in enum) + ")"


class RegistrationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ResultKind(StrEnum):
    """What came of a B2B meeting, as one side reports it."""

    NO_INTEREST = "no_interest"
    FOLLOW_UP = "follow_up"
    MOU = "mou"
    CONTRACT = "contract"


class PaymentStatus(StrEnum):
    DUE = "due"
    PAID = "paid"
    WAIVED = "waived"
