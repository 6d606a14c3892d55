"""Photos on pages: thumbnails in the fair directory, and never a link to a missing thumbnail."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from matchmaking.catalogue.images import add_image, thumbnail_path
from matchmaking.catalogue.thumbnails import make_missing_thumbnails
from matchmaking.enums import ProductStatus
from matchmaking.fairs.allocation import publish_allocation, run_allocation
from matchmaking.models import Account, Product
from tests.factories import PUBLIC_URL, make_account, make_producer, make_product
from tests.matchmaking.catalogue.test_thumbnails import old_photo
from tests.matchmaking.fairs.test_fairs import NOW, lay_out, make_applicant, make_fair
from tests.web.helpers import log_in
from tests.web.test_producer import jpeg

MEDIA = re.compile(r"/media/([^\s\"',]+)")


def media_links(html: str) -> set[str]:
    """Every media file the page's img src and srcset name."""
    links: set[str] = set()
    for tag in re.findall(r"<img[^>]*>", html):
        links |= set(MEDIA.findall(tag))
    return links


async def test_photo_uploaded_before_thumbnails_is_shown_by_itself_until_it_has_one(
    client: httpx.AsyncClient, settings  # type: ignore[no-untyped-def]
) -> None:
    account = await make_account("producer")
    product = await make_product(await make_producer(owner=account))
    photo = await old_photo(product, settings.media_dir, "before-thumbnails")
    await log_in(client, account.email)
    pages = ("/producer/products", f"/products/{product.id}", f"/producer/products/{product.id}/edit")

    for path in pages:
        assert media_links((await client.get(path)).text) == {photo.path}, path
    await make_missing_thumbnails(media_dir=settings.media_dir)

    small, phone = thumbnail_path(photo.path), thumbnail_path(photo.path, 960)
    assert (settings.media_dir / small).is_file() and (settings.media_dir / phone).is_file()
    assert media_links((await client.get("/producer/products")).text) == {small, phone, photo.path}
    page = (await client.get(f"/products/{product.id}")).text
    assert f'src="/media/{small}"' in page
    assert f"/media/{small} 480w, /media/{phone} 960w, /media/{photo.path} 1600w" in page
    edit = (await client.get(f"/producer/products/{product.id}/edit")).text
    assert media_links(edit) == {small}


async def test_directory_shows_each_exhibitors_product_photos_as_thumbnails(
    client: httpx.AsyncClient, settings  # type: ignore[no-untyped-def]
) -> None:
    fair = await make_fair()
    await lay_out(fair)
    application = await make_applicant(fair, preferences=["A-01"])
    product = (await application.products.all())[0]
    owner = await Account.get(id=(await application.producer).owner_id)
    image = await add_image(owner, product.id, jpeg((2000, 1500)), media_dir=settings.media_dir)
    hidden = await make_product(await application.producer, name="Trà chưa đăng",
                                status=ProductStatus.DRAFT)
    await add_image(owner, hidden.id, jpeg(), media_dir=settings.media_dir)
    await application.products.add(hidden)
    organiser = await Account.get(id=fair.organiser_id)
    await run_allocation(organiser, fair, time_limit=2, now=NOW + timedelta(days=6))
    await publish_allocation(organiser, fair.id, public_url=PUBLIC_URL)

    page = (await client.get(f"/fairs/{fair.id}/directory")).text

    small = thumbnail_path(image.path)
    tags = re.findall(r'<a href="[^"]*/products/(\d+)"><img class="directory-photo"([^>]*)>', page)
    assert [int(product_id) for product_id, _ in tags] == [product.id]
    tag = tags[0][1]
    assert f'src="/media/{small}"' in tag and 'loading="lazy"' in tag
    assert f'srcset="/media/{small} 480w, /media/{thumbnail_path(image.path, 960)} 960w, ' \
           f'/media/{image.path} 1600w"' in tag
    assert f'alt="{product.name}"' in tag and 'sizes="72px"' in tag
    assert all((settings.media_dir / link).is_file() for link in media_links(page))
    assert (await Product.get(id=hidden.id)).status == ProductStatus.DRAFT
