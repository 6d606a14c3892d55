"""The thumbnails job makes a bounded number of missing copies a run, and says how many."""

from __future__ import annotations

import pytest

from config.settings import Settings
from jobs import registry
from jobs.registry import JOBS, JobContext
from matchmaking.catalogue.images import thumbnail_path
from matchmaking.models import ProductImage
from tests.factories import make_producer, make_product
from tests.matchmaking.catalogue.test_thumbnails import old_photo


async def test_thumbnails_job_makes_at_most_its_share_a_run(
        db: str, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "THUMBNAILS_PER_RUN", 2)
    product = await make_product(await make_producer())
    photos = [await old_photo(product, settings.media_dir, f"job{n}", size=(800, 600))
              for n in range(3)]
    context = JobContext(settings=settings, search=None)

    first = await JOBS["thumbnails"].function(context)
    second = await JOBS["thumbnails"].function(context)

    assert first == "2 thumbnails made, 0 found on disk, 0 photos missing; more to do"
    assert second == "1 thumbnails made, 0 found on disk, 0 photos missing"
    assert all((settings.media_dir / thumbnail_path(p.path)).is_file() for p in photos)
    assert await ProductImage.filter(has_thumbnail=False).count() == 0
