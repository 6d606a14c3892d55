"""Trade fairs (hội chợ), their halls and booths, applications and allocations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import (
    ApplicationStatus,
    BoothKind,
    FairStatus,
    PaymentStatus,
    RunStatus,
    sql_in,
)

if TYPE_CHECKING:
    from matchmaking.models.accounts import Account
    from matchmaking.models.catalogue import Producer, Product


class Fair(Model):
    """A fair with its dates, application window and eligibility policy."""

    id = fields.IntField(primary_key=True)
    organiser: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="fairs", on_delete=fields.RESTRICT
    )
    organiser_id: int
    name = fields.CharField(max_length=200)
    venue = fields.CharField(max_length=200)
    province_code = fields.IntField()
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    applications_open = fields.DatetimeField()
    applications_close = fields.DatetimeField()
    booth_fee_vnd = fields.BigIntField(default=0)
    min_stars = fields.SmallIntField(default=3)
    certified_only = fields.BooleanField(default=True)
    groups_admitted: fields.Field[list[str]] = fields.JSONField(default=list)
    province_cap = fields.FloatField(null=True)
    first_timer_share = fields.FloatField(default=0.0)
    buyers_auto_approved = fields.BooleanField(default=False)
    visitors = fields.IntField(null=True)
    support_share = fields.FloatField(null=True)
    support_amount_vnd = fields.BigIntField(null=True)
    support_budget_vnd = fields.BigIntField(null=True)
    status = fields.CharEnumField(FairStatus, max_length=10, default=FairStatus.DRAFT)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "fair"
        constraints = [
            CheckConstraint(check="ends_on >= starts_on", name="fair_dates_ordered"),
            CheckConstraint(
                check="applications_close > applications_open", name="fair_window_ordered"
            ),
            CheckConstraint(check="booth_fee_vnd >= 0", name="fair_fee_nonnegative"),
            CheckConstraint(
                check="province_cap IS NULL OR (province_cap > 0 AND province_cap <= 1)",
                name="fair_province_cap_range",
            ),
            CheckConstraint(
                check="first_timer_share >= 0 AND first_timer_share <= 1",
                name="fair_first_timer_share_range",
            ),
            CheckConstraint(check=f"status IN {sql_in(FairStatus)}", name="fair_status_valid"),
            CheckConstraint(
                check="support_share IS NULL OR (support_share > 0 AND support_share <= 1)",
                name="fair_support_share_range",
            ),
        ]


class Hall(Model):
    """An exhibition hall of a fair, laid out on a grid."""

    id = fields.IntField(primary_key=True)
    fair: fields.ForeignKeyRelation[Fair] = fields.ForeignKeyField(
        "models.Fair", related_name="halls", on_delete=fields.CASCADE
    )
    fair_id: int
    name = fields.CharField(max_length=100)
    width = fields.IntField()
    height = fields.IntField()

    class Meta:
        table = "hall"
        unique_together = [("fair", "name")]


class Booth(Model):
    """A booth (gian hàng) with its place on the hall's grid, zone, type and price."""

    id = fields.IntField(primary_key=True)
    fair: fields.ForeignKeyRelation[Fair] = fields.ForeignKeyField(
        "models.Fair", related_name="booths", on_delete=fields.CASCADE
    )
    fair_id: int
    hall: fields.ForeignKeyRelation[Hall] = fields.ForeignKeyField(
        "models.Hall", related_name="booths", on_delete=fields.CASCADE
    )
    hall_id: int
    code = fields.CharField(max_length=20)
    zone = fields.CharField(max_length=16)
    kind = fields.CharEnumField(BoothKind, max_length=10, default=BoothKind.STANDARD)
    price_vnd = fields.BigIntField(default=0)
    x = fields.IntField()
    y = fields.IntField()
    w = fields.IntField()
    h = fields.IntField()

    class Meta:
        table = "booth"
        unique_together = [("fair", "code")]
        constraints = [
            CheckConstraint(check="w > 0 AND h > 0", name="booth_size_positive"),
            CheckConstraint(check=f"kind IN {sql_in(BoothKind)}", name="booth_kind_valid"),
        ]


class BoothApplication(Model):
    """A producer's application for 1-4 booths, with the products it will show."""

    id = fields.IntField(primary_key=True)
    fair: fields.ForeignKeyRelation[Fair] = fields.ForeignKeyField(
        "models.Fair", related_name="applications", on_delete=fields.CASCADE
    )
    fair_id: int
    producer: fields.ForeignKeyRelation[Producer] = fields.ForeignKeyField(
        "models.Producer", related_name="booth_applications", on_delete=fields.CASCADE
    )
    producer_id: int
    products: fields.ManyToManyRelation[Product] = fields.ManyToManyField(
        "models.Product", related_name="booth_applications", through="booth_application_product"
    )
    booths_wanted = fields.SmallIntField(default=1)
    preferences: fields.Field[list[str]] = fields.JSONField(default=list)
    first_time = fields.BooleanField(default=False)
    status = fields.CharEnumField(
        ApplicationStatus, max_length=10, default=ApplicationStatus.SUBMITTED
    )
    waitlist_position = fields.IntField(null=True)
    onsite_sales_vnd = fields.BigIntField(null=True)
    fee_vnd = fields.BigIntField(null=True)
    support_vnd = fields.BigIntField(default=0)
    payment_status = fields.CharEnumField(PaymentStatus, max_length=8, default=PaymentStatus.DUE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "booth_application"
        unique_together = [("fair", "producer")]
        constraints = [
            CheckConstraint(
                check="booths_wanted >= 1 AND booths_wanted <= 4", name="application_booths_range"
            ),
            CheckConstraint(
                check=f"status IN {sql_in(ApplicationStatus)}", name="application_status_valid"
            ),
            CheckConstraint(
                check=f"payment_status IN {sql_in(PaymentStatus)}",
                name="application_payment_status_valid",
            ),
            CheckConstraint(check="support_vnd >= 0", name="application_support_nonnegative"),
        ]


class AllocationRun(Model):
    """One run of an optimiser for a fair: the instance it saw and the result it gave."""

    id = fields.IntField(primary_key=True)
    fair: fields.ForeignKeyRelation[Fair] = fields.ForeignKeyField(
        "models.Fair", related_name="allocation_runs", on_delete=fields.CASCADE
    )
    fair_id: int
    kind = fields.CharField(max_length=10)
    instance: fields.Field[dict[str, object]] = fields.JSONField()
    result: fields.Field[dict[str, object]] = fields.JSONField()
    objective = fields.FloatField()
    bound = fields.FloatField()
    status = fields.CharEnumField(RunStatus, max_length=10, default=RunStatus.DRAFT)
    created_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="allocation_runs", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "allocation_run"
        constraints = [
            CheckConstraint(check="kind IN ('booths', 'meetings')", name="run_kind_valid"),
            CheckConstraint(check=f"status IN {sql_in(RunStatus)}", name="run_status_valid"),
        ]


class BoothAssignment(Model):
    """A booth given to an application: one assignment per booth per fair."""

    id = fields.IntField(primary_key=True)
    fair: fields.ForeignKeyRelation[Fair] = fields.ForeignKeyField(
        "models.Fair", related_name="assignments", on_delete=fields.CASCADE
    )
    fair_id: int
    booth: fields.ForeignKeyRelation[Booth] = fields.ForeignKeyField(
        "models.Booth", related_name="assignments", on_delete=fields.CASCADE
    )
    booth_id: int
    application: fields.ForeignKeyRelation[BoothApplication] = fields.ForeignKeyField(
        "models.BoothApplication", related_name="assignments", on_delete=fields.CASCADE
    )
    application_id: int
    run: fields.ForeignKeyNullableRelation[AllocationRun] = fields.ForeignKeyField(
        "models.AllocationRun", related_name="assignments", null=True, on_delete=fields.SET_NULL
    )
    run_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "booth_assignment"
        unique_together = [("fair", "booth")]
