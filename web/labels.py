"""Names of the domain's codes in the user's language, for templates and forms."""

from __future__ import annotations

from config.i18n import gettext as _


def role_label(role: str) -> str:
    labels = {
        "producer": _("Producer"),
        "buyer": _("Buyer"),
        "organiser": _("Organiser"),
        "admin": _("Admin"),
    }
    return labels.get(str(role), str(role))


def group_label(group: str) -> str:
    labels = {
        "food": _("Food"),
        "beverages": _("Beverages"),
        "herbal": _("Herbal products"),
        "textiles": _("Textiles and garments"),
        "handicrafts": _("Souvenirs, furniture and decoration"),
        "tourism": _("Community tourism services"),
    }
    return labels.get(str(group), str(group))


def subgroup_label(subgroup: str) -> str:
    labels = {
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
        "homestay": _("Homestays"),
        "community_tourism": _("Community tourism sites"),
    }
    return labels.get(str(subgroup), str(subgroup))


def mark_label(mark: str) -> str:
    labels = {
        "vietgap": "VietGAP",
        "globalgap": "GlobalGAP",
        "organic": _("Organic"),
        "haccp": "HACCP",
        "iso22000": "ISO 22000",
        "gi": _("Geographical indication"),
        "traceability": _("Traceability stamp"),
    }
    return labels.get(str(mark), str(mark))


def producer_kind_label(kind: str) -> str:
    labels = {
        "cooperative": _("Cooperative"),
        "cooperative_group": _("Cooperative group"),
        "enterprise": _("Enterprise"),
        "household": _("Household business"),
    }
    return labels.get(str(kind), str(kind))


def status_label(status: str) -> str:
    labels = {
        "draft": _("Draft"),
        "published": _("Published"),
        "archived": _("Archived"),
    }
    return labels.get(str(status), str(status))


TEMPLATE_GLOBALS = {
    "role_label": role_label,
    "group_label": group_label,
    "subgroup_label": subgroup_label,
    "mark_label": mark_label,
    "producer_kind_label": producer_kind_label,
    "status_label": status_label,
}
