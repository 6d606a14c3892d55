"""In a real browser at 390 px: booths are picked on the floor plan, by tapping.

A producer applies to the demo fair by tapping booths on the plan (and reorders them); the
organiser closes applications, then moves the exhibitor by tapping its booth and a free one,
and publishes; the producer finds its booth on the plan and taps it. Every page fits the
phone, shows no console error and no CSP violation, and booth codes read at 12 px or more.
Screenshots go to var/screenshots/ (or OCOP_SCREENSHOTS).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.phone import PHONE, Visit
from tests.browser.serving import CHROMIUM, ocop_server

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="make test installs Debian's chromium"),
]

# The on-screen size of a booth code: its font size times the scale the SVG is drawn at.
LABEL_PX = """() => {
  const text = document.querySelector('.floor-plan .booth text');
  const svg = text.ownerSVGElement;
  return parseFloat(getComputedStyle(text).fontSize)
    * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
}"""
CHOSEN = "() => [...document.querySelectorAll('.chosen-booths input')].map(i => i.value)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    seed = ["--products", "40", "--buyers", "2", "--demands", "2"]
    with ocop_server(tmp_path_factory.mktemp("map"), seed=seed) as url:
        yield url


def test_producer_picks_booths_on_the_map_and_organiser_moves_it(server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    producer, organiser = Visit(browser, server, "map-producer"), Visit(browser, server, "map-organiser")
    try:
        producer.log_in("htx@ocop.demo")
        page = producer.page
        page.goto(f"{server}/fairs")
        page.locator("main td a[href*='/fairs/']").first.click()
        fair_url = page.url.split("?")[0].rstrip("/")
        page.locator("a.button.primary[href$='/apply']").click()
        assert page.evaluate(LABEL_PX) >= 12
        assert producer.check("apply") == []
        # Tick the products the fair admits (no warning under them), then tap booths.
        for box in page.locator("label.check:not(:has(+ p.help)) input[name=products]").all():
            box.check()
        free = "g.booth:not(.mark-closed):not(.mark-chosen) button[name=add]"
        first, second = page.locator(free).nth(0), page.locator(free).nth(3)
        first_code, second_code = first.get_attribute("value"), second.get_attribute("value")
        first.click()
        page.locator(f"#cell-{second_code}").click()
        assert page.evaluate(CHOSEN) == [first_code, second_code]
        expect(page.locator("input[name=products]:checked").first).to_be_checked()
        assert producer.check("two-booths-tapped") == []
        page.locator(f".chosen-booths button[name=up][value='{second_code}']").click()
        assert page.evaluate(CHOSEN) == [second_code, first_code]
        page.click("form.apply-form > .actions button.primary")
        expect(page.locator(".alert-ok")).to_be_visible()
        assert producer.check("applied") == []

        organiser.log_in("btc@ocop.demo")
        page = organiser.page
        page.goto(fair_url.replace("/fairs/", "/organiser/fairs/"))
        page.locator("form[action$='/close'] button").click()
        expect(page.locator(".alert-ok")).to_be_visible()
        assert organiser.check("draft-allocation") == []
        page.locator("a[href$='/allocation/plan']").first.click()
        assert organiser.check("move-pick-exhibitor") == []
        held = page.locator("a.booth.state-assigned").first
        held_code = held.get_attribute("id").removeprefix("cell-")
        held.click()
        expect(page.locator("#move h2")).to_be_visible()
        target = page.locator("a.booth.state-free:not(.mark-closed)").first
        target_code = target.get_attribute("id").removeprefix("cell-")
        assert target_code != held_code
        target.click()
        expect(page.locator("#move button.primary")).to_be_in_viewport()  # confirm at hand
        assert organiser.check("move-picked") == []
        page.locator("#move button.primary").click()
        expect(page.locator(".alert-ok")).to_contain_text(target_code)
        expect(page.locator(f"a.booth.state-assigned#cell-{target_code}")).to_be_visible()
        assert organiser.check("moved") == []
        page.locator("a[href$='/allocation']").last.click()
        expect(page.locator(".badge-warn").first).to_be_visible()  # still a draft to review
        expect(page.locator("main table").first).to_contain_text(target_code)
        page.locator("form[action$='/allocation/publish'] button").click()
        assert organiser.check("published") == []

        page = producer.page
        page.goto(f"{fair_url}/plan")
        assert page.evaluate(LABEL_PX) >= 12
        mine = page.locator("a.booth.state-yours")
        expect(mine).to_have_count(1)
        assert producer.check("plan-with-my-booth") == []
        page.click("label[for=plan-zoom-large]")
        assert page.evaluate(LABEL_PX) >= 17
        page.click("label[for=plan-zoom-fit]")
        fit = page.evaluate("document.querySelector('.plan-scroll svg').getBoundingClientRect().width")
        assert fit <= 390
        page.click("label[for=plan-zoom-normal]")
        mine.click()  # with script, its panel opens in a sheet over the plan
        sheet = page.locator(".booth-sheet")
        expect(sheet.locator("h1")).to_contain_text(target_code)
        expect(sheet.locator(".booth-products a").first).to_be_visible()
        assert page.url.endswith("/plan")
        assert producer.check("my-booth-sheet") == []
        sheet.locator(".sheet-bar a").click()
        expect(page.locator("main h1")).to_contain_text(target_code)
        assert producer.check("my-booth") == []

        plain = browser.new_context(viewport=PHONE, java_script_enabled=False)
        try:  # without script the booth is a plain link to its panel
            bare = plain.new_page()
            bare.goto(f"{fair_url}/plan")
            bare.locator(f"a.booth.state-assigned[href$='/booths/{target_code}']").click()
            expect(bare.locator("main h1")).to_contain_text(target_code)
        finally:
            plain.close()
    finally:
        producer.close()
        organiser.close()
