"""Names of the domain's codes in the user's language, for templates."""

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
