"""Buyers, their demands, the matches the platform finds, and quotes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import BuyerKind, DemandStatus, QuoteStatus, Recurrence, sql_in

if TYPE_CHECKING:
    from matchmaking.models.accounts import Account
    from matchmaking.models.catalogue import Producer, Product


class Buyer(Model):
    """A distributor, wholesaler, supermarket, exporter, HORECA group or souvenir shop."""

    id = fields.IntField(primary_key=True)
    owner: fields.OneToOneNullableRelation[Account] = fields.OneToOneField(
        "models.Account", related_name="buyer", null=True, on_delete=fields.SET_NULL
    )
    owner_id: int | None
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(BuyerKind, max_length=20)
    tax_code = fields.CharField(max_length=14, null=True, unique=True)
    province_code = fields.IntField()
    contact_name = fields.CharField(max_length=120, default="")
    phone = fields.CharField(max_length=20, default="")
    email = fields.CharField(max_length=254, default="")
    description = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "buyer"
        constraints = [
            CheckConstraint(check=f"kind IN {sql_in(BuyerKind)}", name="buyer_kind_valid"),
        ]


class Demand(Model):
    """What a buyer needs (nhu cầu mua): product, quantity, quality, place and dates."""

    id = fields.IntField(primary_key=True)
    buyer: fields.ForeignKeyRelation[Buyer] = fields.ForeignKeyField(
        "models.Buyer", related_name="demands", on_delete=fields.CASCADE
    )
    buyer_id: int
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    group = fields.CharField(max_length=16, null=True)
    subgroup = fields.CharField(max_length=40, null=True)
    keywords = fields.CharField(max_length=300, default="")
    quantity = fields.DecimalField(max_digits=15, decimal_places=3)
    unit = fields.CharField(max_length=16)
    # The unit the target price is per (null: the demand's unit), e.g. tấn ordered, ₫ per kg.
    price_unit = fields.CharField(max_length=16, null=True)
    recurrence = fields.CharEnumField(Recurrence, max_length=8, default=Recurrence.ONCE)
    max_price_vnd = fields.BigIntField(null=True)
    min_stars = fields.SmallIntField(null=True)
    required_marks: fields.Field[list[str]] = fields.JSONField(default=list)
    delivery_province_code = fields.IntField()
    needed_by = fields.DateField()
    valid_until = fields.DateField()
    status = fields.CharEnumField(DemandStatus, max_length=10, default=DemandStatus.OPEN)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "demand"
        indexes = [("status", "valid_until"), ("updated_at",)]
        constraints = [
            CheckConstraint(check="CAST(quantity AS REAL) > 0", name="demand_quantity_positive"),
            CheckConstraint(
                check="max_price_vnd IS NULL OR max_price_vnd > 0",
                name="demand_max_price_positive",
            ),
            CheckConstraint(
                check="min_stars IS NULL OR (min_stars >= 3 AND min_stars <= 5)",
                name="demand_min_stars_range",
            ),
            CheckConstraint(check=f"status IN {sql_in(DemandStatus)}", name="demand_status_valid"),
            CheckConstraint(
                check=f"recurrence IN {sql_in(Recurrence)}", name="demand_recurrence_valid"
            ),
        ]


class Match(Model):
    """A product the matching job proposes for a demand, with its score and reasons."""

    id = fields.IntField(primary_key=True)
    demand: fields.ForeignKeyRelation[Demand] = fields.ForeignKeyField(
        "models.Demand", related_name="matches", on_delete=fields.CASCADE
    )
    demand_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="matches", on_delete=fields.CASCADE
    )
    product_id: int
    producer: fields.ForeignKeyRelation[Producer] = fields.ForeignKeyField(
        "models.Producer", related_name="matches", on_delete=fields.CASCADE
    )
    producer_id: int
    score = fields.FloatField()
    rank = fields.SmallIntField()
    components: fields.Field[dict[str, float]] = fields.JSONField(default=dict)
    reasons: fields.Field[list[str]] = fields.JSONField(default=list)
    notified_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "match"
        unique_together = [("demand", "product")]
        indexes = [("product_id",)]  # the demands a changed product is listed for


class MatchAnnouncement(Model):
    """A (demand, product) pair its producer and buyer were told about, kept so it is told once."""

    id = fields.IntField(primary_key=True)
    demand: fields.ForeignKeyRelation[Demand] = fields.ForeignKeyField(
        "models.Demand", related_name="announcements", on_delete=fields.CASCADE
    )
    product: fields.ForeignKeyRelation[Model] = fields.ForeignKeyField(
        "models.Product", related_name="announcements", on_delete=fields.CASCADE
    )
    announced_at = fields.DatetimeField()

    class Meta:
        table = "match_announcement"
        unique_together = [("demand", "product")]


class SourcingShare(Model):
    """One producer's part of a consortium that covers a demand together."""

    id = fields.IntField(primary_key=True)
    demand: fields.ForeignKeyRelation[Demand] = fields.ForeignKeyField(
        "models.Demand", related_name="sourcing", on_delete=fields.CASCADE
    )
    demand_id: int
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="sourcing", on_delete=fields.CASCADE
    )
    product_id: int
    quantity = fields.DecimalField(max_digits=15, decimal_places=3)  # in the product's unit
    score = fields.FloatField()

    class Meta:
        table = "sourcing_share"
        unique_together = [("demand", "product")]
        indexes = [("product_id",)]  # the capacity promised of a product
        constraints = [
            CheckConstraint(check="CAST(quantity AS REAL) > 0", name="sourcing_quantity_positive"),
        ]


class Quote(Model):
    """A producer's offer (báo giá) against a demand."""

    id = fields.IntField(primary_key=True)
    demand: fields.ForeignKeyRelation[Demand] = fields.ForeignKeyField(
        "models.Demand", related_name="quotes", on_delete=fields.CASCADE
    )
    demand_id: int
    producer: fields.ForeignKeyRelation[Producer] = fields.ForeignKeyField(
        "models.Producer", related_name="quotes", on_delete=fields.CASCADE
    )
    producer_id: int
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="quotes", null=True, on_delete=fields.SET_NULL
    )
    product_id: int | None
    price_vnd = fields.BigIntField()  # per `unit`
    quantity = fields.DecimalField(max_digits=15, decimal_places=3)  # in `unit`
    # The unit the producer quotes in (its own, e.g. kg on a demand in tấn), empty: the demand's.
    unit = fields.CharField(max_length=16, default="")
    lead_time_days = fields.IntField()
    message = fields.TextField(default="")
    status = fields.CharEnumField(QuoteStatus, max_length=12, default=QuoteStatus.SUBMITTED)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "quote"
        constraints = [
            CheckConstraint(check="price_vnd > 0", name="quote_price_positive"),
            CheckConstraint(check="CAST(quantity AS REAL) > 0", name="quote_quantity_positive"),
            CheckConstraint(check="lead_time_days >= 0", name="quote_lead_time_nonnegative"),
            CheckConstraint(check=f"status IN {sql_in(QuoteStatus)}", name="quote_status_valid"),
        ]
