"""Names of the domain's codes in the user's language, for templates and forms."""

from __future__ import annotations

from collections.abc import Callable

from config.i18n import current_language
from config.i18n import gettext as _
from matchmaking.fairs.notify import invoice_text


def per_language(table: Callable[[], dict[str, str]]) -> Callable[[str], str]:
    """A label function over the codes `table` names, translated once per language.

    A results page draws these labels a hundred times; building the table each time cost one
    gettext call per code in it, for a single look-up.
    """
    tables: dict[str, dict[str, str]] = {}

    def label(code: str) -> str:
        language = current_language()
        labels = tables.get(language)
        if labels is None:
            labels = tables[language] = table()
        return labels.get(str(code), str(code))

    label.__name__ = table.__name__
    return label


def role_label(role: str) -> str:
    labels = {
        "producer": _("Producer"),
        "buyer": _("Buyer"),
        "organiser": _("Organiser"),
        "officer": _("OCOP officer"),
        "admin": _("Admin"),
    }
    return labels.get(str(role), str(role))


@per_language
def group_label() -> dict[str, str]:
    return {
        "food": _("Food"),
        "beverages": _("Beverages"),
        "herbal": _("Herbal products"),
        "handicrafts": _("Souvenirs, furniture and decoration"),
        "ornamental": _("Ornamental plants and animals"),
        "tourism": _("Community tourism services"),
    }


@per_language
def subgroup_label() -> dict[str, str]:
    return {
        "fresh_produce": _("Fresh produce"),
        "processed_food": _("Processed food"),
        "condiments": _("Condiments and spices"),
        "tea": _("Tea"),
        "coffee": _("Coffee"),
        "alcoholic": _("Alcoholic drinks"),
        "non_alcoholic": _("Non-alcoholic drinks"),
        "herbal_food": _("Herbal food and drinks"),
        "herbal_cosmetics": _("Herbal cosmetics"),
        "herbal_medicine": _("Herbal medicine"),
        "brocade": _("Brocade and weaving"),
        "garments": _("Garments"),
        "bamboo_rattan": _("Bamboo and rattan"),
        "ceramics": _("Ceramics"),
        "wood": _("Wood"),
        "lacquer": _("Lacquer"),
        "other_crafts": _("Other crafts"),
        "flowers": _("Flowers"),
        "bonsai": _("Bonsai and ornamental plants"),
        "ornamental_animals": _("Ornamental animals"),
        "homestay": _("Homestays"),
        "community_tourism": _("Community tourism sites"),
    }


@per_language
def mark_label() -> dict[str, str]:
    return {
        "vietgap": "VietGAP",
        "globalgap": "GlobalGAP",
        "organic": _("Organic"),
        "haccp": "HACCP",
        "iso22000": "ISO 22000",
        "gi": _("Geographical indication"),
        "traceability": _("Traceability stamp"),
    }


@per_language
def producer_kind_label() -> dict[str, str]:
    return {
        "cooperative": _("Cooperative"),
        "cooperative_group": _("Cooperative group"),
        "enterprise": _("Enterprise"),
        "household": _("Household business"),
    }


def status_label(status: str) -> str:
    labels = {
        "draft": _("Draft"),
        "published": _("Published"),
        "archived": _("Archived"),
    }
    return labels.get(str(status), str(status))


def outcome_label(outcome: str) -> str:
    labels = {
        "not_held": _("Not held"),
        "no_interest": _("No interest"),
        "cooperation_possible": _("Cooperation possible"),
        "deal": _("Deal"),
    }
    return labels.get(str(outcome), str(outcome))


def result_kind_label(kind: str) -> str:
    labels = {
        "no_interest": _("No interest"),
        "follow_up": _("Follow-up"),
        "mou": _("MOU signed"),
        "contract": _("Contract signed"),
    }
    return labels.get(str(kind), str(kind))


def meeting_request_label(status: str) -> str:
    labels = {
        "pending": _("Waiting for an answer"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "cancelled": _("Cancelled"),
    }
    return labels.get(str(status), str(status))


def side_label(side: str) -> str:
    return {"buyer": _("Buyer"), "exhibitor": _("Exhibitor")}.get(str(side), str(side))


def audit_label(action: str) -> str:
    """An audit-log code ("account.create") in plain words; an unknown code is shown as it is."""
    labels = {
        "account.create": _("Account created"),
        "account.role_change": _("Role changed"),
        "account.deactivate": _("Account deactivated"),
        "account.reactivate": _("Account reactivated"),
        "allocation.move": _("Exhibitor moved to other booths"),
        "allocation.publish": _("Booth allocation published"),
        "allocation.run": _("Booths allocated"),
        "demand.close": _("Demand closed"),
        "fair.close": _("Fair applications closed"),
        "fair.create": _("Fair created"),
        "fair.open": _("Fair opened for applications"),
        "fair.payment": _("Booth payment recorded"),
        "fair.payment_reminders": _("Payment reminders sent"),
        "fair.sales": _("Sales at the fair recorded"),
        "login": _("Signed in"),
        "login.failed": _("Failed login"),
        "login.locked": _("Login locked after failed attempts"),
        "meetings.check_in": _("Checked in at the meetings"),
        "meetings.close": _("Meeting requests closed"),
        "meetings.move": _("Meeting moved"),
        "meetings.register": _("Registered for the meetings"),
        "meetings.result": _("Meeting outcome recorded"),
        "meetings.schedule": _("Meetings scheduled"),
        "meetings.session_create": _("Meeting session created"),
        "meetings.swap": _("Meetings swapped"),
        "meetings.unbook": _("Meeting cancelled"),
        "password.change": _("Password changed"),
        "password.reset": _("Password reset"),
        "password.reset_requested": _("Password reset asked for"),
        "password.reset_throttled": _("Too many password reset requests"),
        "product.archive": _("Product archived"),
        "quote.accept": _("Quote accepted"),
        "token.create": _("API token created"),
        "token.revoke": _("API token revoked"),
    }
    return labels.get(action, action)


def allocation_quality(objective: float, bound: float) -> str:
    """The optimiser's objective against its proven bound, in words an organiser reads."""
    if bound <= 0:
        return _("No application to place yet.")
    percent = min(100, int(objective / bound * 100))
    if percent == 100:
        return _("The best possible allocation for these priorities and preferences.")
    return _("%(percent)s%% as good as the best possible allocation.") % {"percent": percent}


TEMPLATE_GLOBALS: dict[str, Callable[..., str]] = {
    "allocation_quality": allocation_quality,
    "audit_label": audit_label,
    "role_label": role_label,
    "group_label": group_label,
    "subgroup_label": subgroup_label,
    "mark_label": mark_label,
    "producer_kind_label": producer_kind_label,
    "status_label": status_label,
    "outcome_label": outcome_label,
    "meeting_request_label": meeting_request_label,
    "side_label": side_label,
}


def buyer_kind_label(kind: str) -> str:
    labels = {
        "distributor": _("Distributor"),
        "wholesaler": _("Wholesaler"),
        "supermarket": _("Supermarket chain"),
        "exporter": _("Exporter"),
        "horeca": _("Restaurant or hotel group"),
        "souvenir_shop": _("Souvenir shop"),
    }
    return labels.get(str(kind), str(kind))


def demand_status_label(status: str) -> str:
    labels = {
        "open": _("Open"),
        "closed": _("Closed"),
        "fulfilled": _("Fulfilled"),
        "expired": _("Expired"),
    }
    return labels.get(str(status), str(status))


def quote_status_label(status: str) -> str:
    labels = {
        "submitted": _("Submitted"),
        "shortlisted": _("Shortlisted"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "withdrawn": _("Withdrawn"),
    }
    return labels.get(str(status), str(status))


def recurrence_label(recurrence: str) -> str:
    labels = {"once": _("Once"), "monthly": _("Every month")}
    return labels.get(str(recurrence), str(recurrence))


def province_label(code: str) -> str:
    """A province's short name from its code (templates pass the stored integer)."""
    from matchmaking.places import short_province_name

    return short_province_name(int(code)) if str(code).isdigit() else ""


TEMPLATE_GLOBALS.update({
    "buyer_kind_label": buyer_kind_label,
    "demand_status_label": demand_status_label,
    "quote_status_label": quote_status_label,
    "recurrence_label": recurrence_label,
    "province_label": province_label,
})


def fair_status_label(status: str) -> str:
    labels = {
        "draft": _("Draft"),
        "open": _("Open"),
        "closed": _("Closed"),
        "allocated": _("Booths allocated (draft)"),
        "published": _("Booths published"),
    }
    return labels.get(str(status), str(status))


def application_status_label(status: str) -> str:
    labels = {
        "submitted": _("Submitted"),
        "withdrawn": _("Withdrawn"),
        "accepted": _("Accepted"),
        "waitlisted": _("On the waitlist"),
        "rejected": _("Cancelled by the organiser"),
    }
    return labels.get(str(status), str(status))


def booth_kind_label(kind: str) -> str:
    labels = {"standard": _("Standard"), "corner": _("Corner"), "island": _("Island")}
    return labels.get(str(kind), str(kind))


def zone_label(zone: str) -> str:
    """A booth zone: one of the six product groups, or mixed."""
    return _("Mixed") if str(zone) == "mixed" else group_label(zone)


def booth_state_label(state: str) -> str:
    labels = {
        "free": _("Free"),
        "assigned": _("Taken by an exhibitor"),
        "wanted": _("Free, wanted by an applicant"),
        "yours": _("Your booth"),
        "chosen": _("Your choice, numbered in order"),
        "moving": _("Booths of the exhibitor you move"),
        "picked": _("Its new booths"),
        "closed": _("Not in a zone for these products"),
    }
    return labels.get(str(state), str(state))


TEMPLATE_GLOBALS.update({
    "fair_status_label": fair_status_label,
    "application_status_label": application_status_label,
    "booth_kind_label": booth_kind_label,
    "zone_label": zone_label,
    "booth_state_label": booth_state_label,
    "result_kind_label": result_kind_label,
    "invoice_text": invoice_text,
})
