"""A phone in a real browser for the browser tests: 390 px, console and CSP watched, screenshots.

Screenshots go to var/screenshots/ (or OCOP_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PIL import Image

PHONE = {"width": 390, "height": 844}
PASSWORD = "ocop-demo-2026"
# Runs before the page's own scripts, so violations while loading are counted too.
CSP_WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));"""
SHOTS = Path(os.environ.get("OCOP_SCREENSHOTS", Path(__file__).parents[2] / "var" / "screenshots"))


def camera_photo() -> bytes:
    """A large camera-like JPEG (2400 x 1800), wider than any phone."""
    image = Image.new("RGB", (2400, 1800), (120, 160, 90))
    for n in range(60):
        colour = ((n * 37) % 255, (n * 91) % 255, (n * 53) % 255)
        image.paste(colour, (n * 40, n * 30, n * 40 + 300, n * 30 + 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


class Visit:
    """One phone-sized browser context that records console errors and CSP violations."""

    def __init__(self, browser: Any, server: str, role: str) -> None:
        self.server, self.role = server, role
        self.context = browser.new_context(viewport=PHONE, locale="vi-VN", accept_downloads=True)
        self.context.add_init_script(CSP_WATCH)
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"script: {e}"))

    def open(self, path: str) -> None:
        self.page.goto(self.server + path)

    def check(self, name: str) -> list[str]:
        """What a person would trip over on the open page; also saves its screenshot."""
        page = self.page
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{self.role}-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        found = [f"{page.url}: {p}" for p in self.problems]
        self.problems.clear()
        if width > PHONE["width"]:
            found.append(f"{page.url}: {width} px wide on a {PHONE['width']} px screen")
        if page.evaluate("window.__csp ? window.__csp.length : 0"):
            found.append(f"{page.url}: CSP violated")
        return found

    def log_in(self, email: str, password: str = PASSWORD) -> None:
        self.open("/login")
        self.page.fill("#f-email", email)
        self.page.fill("#f-password", password)
        self.page.click("button[type=submit].primary")

    def menu_links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all(
            ".site-menu .account-nav a", "links => links.map(a => a.getAttribute('href'))")
        here = urlsplit(self.server).netloc
        return [urlsplit(h).path for h in hrefs if urlsplit(h).netloc in ("", here)]

    def close(self) -> None:
        self.context.close()
