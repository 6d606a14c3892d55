"""Producers (chủ thể OCOP) and their products."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from matchmaking.enums import ProducerKind, ProductGroup, ProductStatus, Verification, sql_in

if TYPE_CHECKING:
    from matchmaking.models.accounts import Account


class Producer(Model):
    """A cooperative, cooperative group, enterprise or household business."""

    id = fields.IntField(primary_key=True)
    owner: fields.OneToOneNullableRelation[Account] = fields.OneToOneField(
        "models.Account", related_name="producer", null=True, on_delete=fields.SET_NULL
    )
    owner_id: int | None
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(ProducerKind, max_length=20)
    tax_code = fields.CharField(max_length=14, null=True, unique=True)
    province_code = fields.IntField()
    ward_code = fields.IntField(null=True)
    address = fields.CharField(max_length=300, default="")
    contact_name = fields.CharField(max_length=120, default="")
    phone = fields.CharField(max_length=20, default="")
    email = fields.CharField(max_length=254, default="")
    description = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "producer"
        indexes = [("province_code",)]
        constraints = [
            CheckConstraint(check=f"kind IN {sql_in(ProducerKind)}", name="producer_kind_valid"),
        ]


class Product(Model):
    """An OCOP product with its rating, certificate and commercial terms."""

    id = fields.IntField(primary_key=True)
    producer: fields.ForeignKeyRelation[Producer] = fields.ForeignKeyField(
        "models.Producer", related_name="products", on_delete=fields.CASCADE
    )
    producer_id: int
    code = fields.CharField(max_length=40)
    name = fields.CharField(max_length=200)
    group = fields.CharEnumField(ProductGroup, max_length=16)
    subgroup = fields.CharField(max_length=40)
    description = fields.TextField(default="")
    stars = fields.SmallIntField(null=True)
    certificate_number = fields.CharField(max_length=60, null=True)
    certificate_authority = fields.CharField(max_length=200, null=True)
    decision_date = fields.DateField(null=True)
    certificate_expiry = fields.DateField(null=True)
    # The claim above counts only once it matches the register: the matched entry and the
    # stars and expiry the register gives (see matchmaking.catalogue.certification).
    verification = fields.CharEnumField(Verification, max_length=10, default=Verification.NONE)
    certificate_entry: fields.ForeignKeyNullableRelation[Model] = fields.ForeignKeyField(
        "models.CertificateEntry", related_name="products", null=True, on_delete=fields.SET_NULL
    )
    verified_stars = fields.SmallIntField(null=True)
    verified_expiry = fields.DateField(null=True)
    price_vnd = fields.BigIntField()
    unit = fields.CharField(max_length=16)
    min_order = fields.DecimalField(max_digits=15, decimal_places=3, default=1)
    monthly_capacity = fields.DecimalField(max_digits=15, decimal_places=3)
    # A container's net content (hộp 500 g): `net_quantity` of the mass or volume `net_unit`.
    net_quantity = fields.DecimalField(max_digits=12, decimal_places=3, null=True)
    net_unit = fields.CharField(max_length=8, null=True)
    shelf_life_days = fields.IntField(null=True)
    quality_marks: fields.Field[list[str]] = fields.JSONField(default=list)
    status = fields.CharEnumField(ProductStatus, max_length=10, default=ProductStatus.DRAFT)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "product"
        unique_together = [("producer", "code")]
        # (status, certificate_expiry, stars): "certified now" counts from the index alone.
        indexes = [("status", "group"), ("updated_at",), ("status", "certificate_expiry", "stars"),
                   ("status", "verified_expiry", "verified_stars")]
        constraints = [
            CheckConstraint(check="price_vnd > 0", name="product_price_positive"),
            CheckConstraint(check="CAST(min_order AS REAL) > 0", name="product_min_order_positive"),
            CheckConstraint(
                check="CAST(monthly_capacity AS REAL) >= CAST(min_order AS REAL)",
                name="product_capacity_covers_min_order",
            ),
            CheckConstraint(
                check="stars IS NULL OR (stars >= 1 AND stars <= 5)", name="product_stars_range"
            ),
            CheckConstraint(
                check="stars IS NULL OR stars < 3 OR "
                "(certificate_number IS NOT NULL AND decision_date IS NOT NULL)",
                name="product_rated_has_certificate",
            ),
            CheckConstraint(check=f"\"group\" IN {sql_in(ProductGroup)}", name="product_group_valid"),
            CheckConstraint(
                check=f"status IN {sql_in(ProductStatus)}", name="product_status_valid"
            ),
            CheckConstraint(
                check=f"verification IN {sql_in(Verification)}", name="product_verification_valid"
            ),
        ]


class ProductImage(Model):
    """A resized product photo stored under the media directory."""

    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="images", on_delete=fields.CASCADE
    )
    product_id: int
    path = fields.CharField(max_length=200)
    width = fields.IntField()
    height = fields.IntField()
    position = fields.SmallIntField(default=0)
    # Whether the small copy (catalogue.images.thumbnail_path) was written: older photos lack it.
    has_thumbnail = fields.BooleanField(default=False)

    class Meta:
        table = "product_image"
