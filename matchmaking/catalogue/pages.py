"""Read models of the catalogue pages: a product, a producer, a product's photos."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import cast

from matchmaking.catalogue.certification import certificate_state, shown_rating
from matchmaking.catalogue.products import producer_products, visible_product
from matchmaking.errors import NotFound
from matchmaking.models import Account, Producer, Product, ProductImage


async def product_images(product: Product | None) -> list[ProductImage]:
    """A product's photos in their order (none for a product not created yet)."""
    if product is None:
        return []
    return await ProductImage.filter(product=product).order_by("position", "id")


async def first_photos(product_ids: list[int]) -> dict[int, ProductImage]:
    """Each product's first photo (products without one are left out), in one query."""
    photos: dict[int, ProductImage] = {}
    for image in await ProductImage.filter(product_id__in=product_ids).order_by("-position", "-id"):
        photos[image.product_id] = image  # the last one written is the first in order
    return photos


@dataclass(frozen=True)
class ProductPage:
    """A product as the actor may see it, with its certificate state on `today`."""

    product: Product
    producer: Producer
    certificate: str
    images: list[ProductImage]

    @property
    def rating(self) -> tuple[int | None, date | None]:
        """The stars and expiry to show (see certification.shown_rating)."""
        return shown_rating(self.product)


async def product_page(actor: Account | None, product_id: int, *, today: date) -> ProductPage:
    product = await visible_product(actor, product_id)
    return ProductPage(product, cast(Producer, product.producer),
                       certificate_state(product, today), await product_images(product))


@dataclass(frozen=True)
class ProducerProduct:
    """A product on its producer's page, with its certificate state for today."""

    product: Product
    certificate: str

    @property
    def rating(self) -> tuple[int | None, date | None]:
        return shown_rating(self.product)


@dataclass(frozen=True)
class ProducerPage:
    producer: Producer
    products: list[ProducerProduct]


async def producer_page(producer_id: int, *, today: date) -> ProducerPage:
    """A producer and its published products; NotFound for an unknown producer."""
    producer = await Producer.get_or_none(id=producer_id)
    if producer is None:
        raise NotFound("producer")
    products = await producer_products(producer, include_unpublished=False)
    return ProducerPage(producer, [ProducerProduct(p, certificate_state(p, today)) for p in products])


def certificates_of(products: list[Product], *, today: date) -> dict[int, ProducerProduct]:
    """Each product's certificate state on `today`, by product id (a producer's own list)."""
    return {p.id: ProducerProduct(p, certificate_state(p, today)) for p in products}
