"""Page weights: what a phone downloads for the home, search, product and floor-plan pages.

Starts `ocop serve` on demo data (BENCH_PAGES_PRODUCTS, 100 products), and every demo producer
puts a camera photo (2400 × 1800 JPEG) on each of its products through the upload form. Each
page is then opened in Chromium as a phone (390 × 844 CSS px at device scale BENCH_PAGES_SCALE,
2) with an empty cache, and every request it makes is recorded: the HTML and the CSS, JS and
images it loads (images below the fold with loading="lazy" are not requested, as on a phone).
Each of those URLs is fetched once more with `Accept-Encoding: gzip` and once with `identity`,
and the bytes on the wire summed (bodies only: headers are a few hundred bytes a request).

BENCH_PAGES_OCOP runs another checkout's `ocop` (for the "before" figures, a worktree of an
older commit) and BENCH_PAGES_LABEL names the run ("after" by default); each label keeps its
figures in bench/results/pages.json, and pages.md shows the labels side by side.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from bench import results_file
from search.server import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Request, ViewportSize

RESULTS = results_file.RESULTS
PRODUCTS = int(os.environ.get("BENCH_PAGES_PRODUCTS", "100"))
SCALE = float(os.environ.get("BENCH_PAGES_SCALE", "2"))
LABEL = os.environ.get("BENCH_PAGES_LABEL", "after")
OCOP = os.environ.get("BENCH_PAGES_OCOP", str(Path(sys.executable).parent / "ocop"))
CHROMIUM = "/usr/bin/chromium"
PHONE: ViewportSize = {"width": 390, "height": 844}
PRODUCER = "htx@ocop.demo"
PASSWORD = "ocop-demo-2026"
SEARCH = "/search?q=tra+shan+tuyet"
KINDS = (("html", "text/html"), ("css", "text/css"), ("js", "javascript"), ("images", "image/"))


def _recorder(urls: list[str]) -> Callable[[Request], None]:
    """A request listener that notes each URL the page fetches."""
    return lambda request: urls.append(request.url)


def camera_photo() -> bytes:
    """A deterministic photo that compresses about as a real one does (WebP ~260 KB at 1600 px)."""
    from PIL import Image, ImageFilter

    width, height = 2400, 1800
    light = Image.linear_gradient("L").resize((width, height))
    grain = Image.effect_noise((width, height), 60).filter(ImageFilter.GaussianBlur(1.2))
    image = Image.merge("RGB", (Image.blend(light, grain, 0.5),
                                Image.blend(light.rotate(90).resize((width, height)), grain, 0.4),
                                grain))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _serve(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEILI_", "OCOP_", "DATABASE"))}
    env.update({"OCOP_VAR_DIR": str(root / "var"), "LOG_LEVEL": "WARNING"})
    for args in (["migrate"], ["seed", "--quiet", "--products", str(PRODUCTS), "--buyers", "5",
                               "--demands", "10", "--seed", "42"]):
        subprocess.run([OCOP, *args], env=env, cwd=root, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([OCOP, "serve", "--port", str(port)], env=env, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).json().get("search") == "ok":
                return process, base
        except (httpx.HTTPError, ValueError):
            time.sleep(0.5)
    _stop(process)
    raise RuntimeError("ocop serve did not start")


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _log_in(http: httpx.Client, email: str) -> str | None:
    """Log `http` in as `email` through the form; its CSRF token, or None if refused."""
    http.cookies.clear()
    http.get("/login")
    csrf = http.cookies["ocop_csrf"]
    answer = http.post("/login", data={"csrf_token": csrf, "email": email, "password": PASSWORD})
    return csrf if answer.status_code == 303 else None


def _photograph_every_product(base: str) -> int:
    """Each demo producer puts the camera photo on each of its products, through the form (as a
    catalogue with photos looks); returns the first producer's first product."""
    photo = camera_photo()
    first = 0
    with httpx.Client(base_url=base, timeout=120, follow_redirects=False) as http:
        for n in range(1, PRODUCTS + 1):
            csrf = _log_in(http, PRODUCER if n == 1 else f"producer{n}@ocop.demo")
            if csrf is None:
                break  # past the last demo producer account
            listed = http.get("/producer/products").text
            for product_id in dict.fromkeys(re.findall(r"/producer/products/(\d+)/edit", listed)):
                first = first or int(product_id)
                uploaded = http.post(f"/producer/products/{product_id}/images",
                                     data={"csrf_token": csrf},
                                     files={"image": ("camera.jpg", photo, "image/jpeg")})
                if uploaded.status_code != 303:
                    raise RuntimeError(f"the photo upload answered {uploaded.status_code}")
    if not first:
        raise RuntimeError(f"{PRODUCER} could not log in or has no products")
    return first


def _pages(base: str) -> dict[str, str]:
    """The four pages, after the producers gave their products photos."""
    product_id = _photograph_every_product(base)
    fair_id = httpx.get(f"{base}/api/fairs", timeout=30).json()[0]["id"]
    time.sleep(3)  # the search-sync job (every second) indexes the products with their photos
    return {"home": "/", "search": SEARCH, "product (with a photo)": f"/products/{product_id}",
            "fair plan": f"/fairs/{fair_id}/plan"}


def _requested(base: str, paths: dict[str, str]) -> dict[str, list[str]]:
    """The same-origin URLs each page makes a phone fetch on an empty cache."""
    from playwright.sync_api import sync_playwright

    here = urlsplit(base).netloc
    found: dict[str, list[str]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for name, path in paths.items():
                context = browser.new_context(viewport=PHONE, device_scale_factor=SCALE,
                                              is_mobile=True, has_touch=True, locale="vi-VN")
                page = context.new_page()
                urls: list[str] = []
                page.on("request", _recorder(urls))
                page.goto(base + path, wait_until="networkidle")
                found[name] = list(dict.fromkeys(u for u in urls if urlsplit(u).netloc == here))
                context.close()
        finally:
            browser.close()
    return found


def _kind(content_type: str) -> str:
    return next((kind for kind, marker in KINDS if marker in content_type), "other")


def _weigh(urls: list[str]) -> dict[str, Any]:
    """Bytes on the wire for each kind of file, with and without gzip."""
    figures: dict[str, Any] = {"requests": len(urls)}
    with httpx.Client(timeout=60) as http:
        for encoding in ("gzip", "identity"):
            sums = dict.fromkeys([kind for kind, _ in KINDS] + ["other"], 0)
            for url in urls:
                response = http.get(url, headers={"Accept-Encoding": encoding})
                response.read()
                sums[_kind(response.headers.get("content-type", ""))] += response.num_bytes_downloaded
            figures[encoding] = {**sums, "total": sum(sums.values())}
    figures["files"] = [urlsplit(u).path + (f"?{urlsplit(u).query}" if urlsplit(u).query else "")
                        for u in urls]
    return figures


def measure() -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="ocop-bench-pages-"))
    try:
        process, base = _serve(root)
        try:
            paths = _pages(base)
            requested = _requested(base, paths)
            pages = {name: {"path": paths[name], **_weigh(requested[name])} for name in paths}
        finally:
            _stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"products": PRODUCTS, "device_scale": SCALE, "viewport": PHONE,
            "commit": _commit(Path(OCOP)), "pages": pages}


def _commit(ocop: Path) -> str:
    """The commit of the checkout whose .venv/bin/ocop ran (empty if it is not a git checkout)."""
    checkout = ocop.resolve().parents[2] if ocop.is_absolute() else Path.cwd()
    done = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True)
    return done.stdout.strip()


def _kb(n: int) -> str:
    return f"{n / 1024:,.1f}"


def write_markdown(stored: dict[str, Any], path: Path) -> None:
    labels = sorted(stored, key=lambda label: (label != "before", label))
    lines = [
        "# Page weights on a phone",
        "",
        "`make bench BENCH=pages` (bench/bench_pages.py): what Chromium as a phone (390 × 844 CSS px,",
        "device scale 2, empty cache) fetches to show each page, weighed in KB on the wire (bodies),",
        "gzip-compressed (`Accept-Encoding: gzip`) and not (`identity`). Lazy images below the fold",
        "are not fetched. Demo data: `ocop seed --products N --seed 42` (N below), each product with",
        "one 2400 × 1800 camera photo uploaded by its producer through the form.",
        "",
    ]
    for label in labels:
        run = stored[label]
        lines += [f"## {label} (commit {run.get('commit') or '?'}, {run['products']} products)", "",
                  "| page | requests | HTML | CSS | JS | images | total gzip | total uncompressed |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for name, page in run["pages"].items():
            gz = page["gzip"]
            lines.append(f"| {name} | {page['requests']} | {_kb(gz['html'])} | {_kb(gz['css'])} | "
                         f"{_kb(gz['js'])} | {_kb(gz['images'])} | {_kb(gz['total'])} | "
                         f"{_kb(page['identity']['total'])} |")
        lines.append("")
    if "before" in stored and "after" in stored:
        lines += ["## Before and after, total KB a phone downloads", "",
                  "| page | before gzip | after gzip | before uncompressed | after uncompressed |",
                  "|---|---:|---:|---:|---:|"]
        for name, page in stored["after"]["pages"].items():
            old = stored["before"]["pages"].get(name)
            if old is None:
                continue
            lines.append(f"| {name} | {_kb(old['gzip']['total'])} | {_kb(page['gzip']['total'])} | "
                         f"{_kb(old['identity']['total'])} | {_kb(page['identity']['total'])} |")
        lines.append("")
    notes = path.with_name("pages-notes.md")
    if notes.is_file():
        lines += [notes.read_text().rstrip(), ""]
    path.write_text("\n".join(lines))


def main() -> None:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium is needed at {CHROMIUM} (make chromium)")
    stored = results_file.keep("pages", {LABEL: measure()})
    write_markdown(stored, RESULTS / "pages.md")
    print((RESULTS / "pages.md").read_text())


if __name__ == "__main__":
    main()
