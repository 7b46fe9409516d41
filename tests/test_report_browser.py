"""The report in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright, offline. Skips cleanly when Playwright or Chromium is absent (no browser is
ever downloaded: ``playwright install`` is never run).

Screenshots (desktop and phone widths) go to ``$SCENE_ANATOMY_SCREENSHOTS`` when set,
else to pytest's tmp dir.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sceneanatomy.cli import example_paths
from sceneanatomy.pipeline import analyse
from sceneanatomy.readers import read_bytes
from sceneanatomy.render.report import anatomy_of, report

CHROMIUM = os.environ.get("SCENE_ANATOMY_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
    pytest.skip(f"Chromium is not installed ({CHROMIUM})", allow_module_level=True)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = os.environ.get("SCENE_ANATOMY_SCREENSHOTS")
    d = Path(env) if env else tmp_path_factory.mktemp("screenshots")
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    exe = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as p:
        try:
            ctx = p.chromium.launch_persistent_context(
                str(profile),
                executable_path=exe,
                headless=True,
                args=ARGS,
                viewport=DESKTOP,
                offline=True,
            )
        except Exception as exc:  # noqa: BLE001 - a broken browser install is a skip
            pytest.skip(f"Chromium does not start: {' '.join(str(exc).split())[:200]}")
        try:
            yield ctx
        finally:
            ctx.close()


def _pages() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, html, facts) for each bundled example, scene by scene, plus the full fixture."""
    from test_report import full_anatomy

    out = []
    for path in example_paths():
        doc = analyse(read_bytes(path.read_bytes(), path=str(path)), whole=False)
        data = anatomy_of(doc)
        n = len(data["scenes"])
        best = max(
            range(1, n + 1),
            key=lambda k: len(data["scenes"][k - 1]["anatomy"].get("tropes") or []),
        )
        kl = data["scenes"][best - 1]["anatomy"].get("key_line")
        out.append((f"{path.name}-scene{best}", report(data, best, "html"), {"key_line": bool(kl)}))
        if n > 1:
            out.append((f"{path.name}-document", report(data, None, "html"), {"key_line": False}))
    out.append(("rooftop-full", report(full_anatomy(), 2, "html"), {"key_line": True}))
    # the reference article the report imitates (../shared/seed), when it is here
    from conftest import find_shared

    shared = find_shared()
    seed = shared / "seed" / "anatomy-of-a-kdrama-scene.txt" if shared else None
    if seed is not None and seed.is_file():
        doc = analyse(read_bytes(seed.read_bytes(), path=str(seed)), whole=False)
        data = anatomy_of(doc)
        kl = data["scenes"][0]["anatomy"].get("key_line") if data["scenes"] else None
        out.append(("seed-article", report(data, None, "html"), {"key_line": bool(kl)}))
    return out


PAGES = _pages()


@pytest.mark.parametrize(("name", "html", "facts"), PAGES, ids=[p[0] for p in PAGES])
def test_report_in_chromium(
    context: Any, shots: Path, tmp_path: Path, name: str, html: str, facts: dict[str, Any]
) -> None:
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(html, encoding="utf-8")
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            page.goto(page_file.as_uri())
            h1 = page.locator("h1")
            assert h1.count() == 1 and h1.is_visible()
            assert h1.inner_text().strip()
            charts = page.locator("svg.chart")
            assert charts.count() >= 1
            for i in range(charts.count()):
                box = charts.nth(i).bounding_box()
                assert box is not None and box["width"] > 100 and box["height"] > 40
                assert box["x"] >= -1 and box["x"] + box["width"] <= size["width"] + 1
            # chart text stays readable when the chart is scaled down to a phone
            for sel in ("svg.chart text.tick", "svg.chart text.name", "svg.chart text.axis-label"):
                texts = page.locator(sel)
                for i in range(min(texts.count(), 6)):
                    box = texts.nth(i).bounding_box()
                    assert box is not None and box["height"] >= 10, (label, sel, box)
            legends = page.locator("figure.chart ul.legend")
            assert legends.count() == charts.count()
            assert legends.first.is_visible()
            # the quiz and comments slots are visibly marked empty
            for slot in ("quiz", "comments"):
                note = page.locator(f"section#{slot} p.slot-empty")
                assert note.is_visible() and "Empty" in note.inner_text()
            links = page.locator("a.ev")
            assert links.count() >= 1
            assert links.first.is_visible()
            if facts["key_line"]:
                assert page.locator("figure.pull blockquote").is_visible()
            # nothing overflows the phone width
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{label}: page is {overflow}px wider than the viewport"
            page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)
        # an evidence link leads to its quote
        first = page.locator("a.ev").first
        target = first.get_attribute("href")
        first.click()
        assert page.evaluate("location.hash") == target
        assert page.locator(f"li{target}").is_visible()
        assert not errors, errors
        assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
        # no script from the source ran
        assert page.evaluate("typeof window.__pwned") == "undefined"
    finally:
        page.close()
