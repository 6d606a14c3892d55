"""Form handling shared by HTML views: what was typed, and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from web.csrf import CSRF_FIELD

SECRET_FIELDS = {"password", "current_password", "new_password", CSRF_FIELD}


@dataclass
class FormState:
    """The values to show back in a form, and a message per field that needs fixing."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


async def read_form(request: Request) -> dict[str, str]:
    """The submitted text fields, stripped; files are read by the views that take them."""
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}


def keep_typed(values: dict[str, str], errors: dict[str, str]) -> FormState:
    """A form state that keeps what was typed, except secrets."""
    return FormState({k: v for k, v in values.items() if k not in SECRET_FIELDS}, errors)
