"""The certificate register: one row per product named in a recognition decision."""

from __future__ import annotations

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import DecisionLevel, sql_in


class CertificateEntry(Model):
    """A product's rating in one recognition decision (quyết định công nhận), as published.

    Entries of the same registered product (renewals, re-ratings) share `lineage`, the id of
    the product's first entry. `province_recorded` keeps the name the decision used, old or new,
    and `province_code` is the current province it maps to.
    """

    id = fields.IntField(primary_key=True)
    lineage = fields.IntField(default=0)
    decision_number = fields.CharField(max_length=60)
    decision_key = fields.CharField(max_length=60)
    decision_date = fields.DateField()
    authority = fields.CharField(max_length=200)
    level = fields.CharEnumField(DecisionLevel, max_length=10, default=DecisionLevel.PROVINCE)
    province_recorded = fields.CharField(max_length=60)
    province_code = fields.IntField()
    producer_name = fields.CharField(max_length=200)
    producer_key = fields.CharField(max_length=200)
    producer_kind = fields.CharField(max_length=20, null=True)
    tax_code = fields.CharField(max_length=14, null=True)
    product_name = fields.CharField(max_length=200)
    product_key = fields.CharField(max_length=200)
    group = fields.CharField(max_length=16)
    subgroup = fields.CharField(max_length=40, default="")
    stars = fields.SmallIntField()
    score = fields.SmallIntField(null=True)
    certificate_number = fields.CharField(max_length=60)
    certificate_key = fields.CharField(max_length=60)
    expiry = fields.DateField()
    imported_by: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.Account", related_name="certificate_entries", null=True,
        on_delete=fields.SET_NULL,
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "certificate_entry"
        unique_together = [("decision_key", "producer_key", "product_key")]
        indexes = [("lineage",), ("province_code",), ("certificate_key",), ("tax_code",)]
        constraints = [
            CheckConstraint(check="stars >= 1 AND stars <= 5", name="certificate_stars_range"),
            CheckConstraint(check="expiry > decision_date", name="certificate_expiry_after"),
            CheckConstraint(
                check=f"level IN {sql_in(DecisionLevel)}", name="certificate_level_valid"
            ),
        ]


class CertificateReminder(Model):
    """A reminder sent to a producer that a verified certificate expires in `months` months."""

    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "models.Product", related_name="certificate_reminders", on_delete=fields.CASCADE
    )
    expiry = fields.DateField()
    months = fields.SmallIntField()
    sent_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "certificate_reminder"
        unique_together = [("product", "expiry", "months")]
