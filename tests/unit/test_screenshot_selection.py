"""Which item URLs the browser opens for a screenshot in ``--browser auto``: what opened (2xx
pages), not error pages, bot walls or pages that did not load; ``always`` still takes every page."""

from __future__ import annotations

from pathlib import Path

from oit_checker.audit import run_audit
from oit_checker.config import parse_config_text
from oit_checker.fetch.browser import BrowserFetcher, Rendered
from oit_checker.fetch.interface import Fetcher
from oit_checker.models import FetchResult

HOME = "https://www.example.go.th/"
CONTENT = "<title>{0}</title><h1>{0}</h1>" + "<p>ข้อมูลของหน่วยงานประจำปีงบประมาณ พ.ศ. 2567</p>" * 30
PAGES = {  # item -> (URL, HTTP status, extra headers), as the HTTP fetch saw them
    "O1": (HOME + "ita/o1.html", 200, {}),
    "O2": (HOME + "ita/o2.html", 404, {}),
    "O3": (HOME + "ita/o3.html", 403, {"cf-mitigated": "challenge"}),
    "O24": (HOME + "ita/o24.html", 200, {"cf-mitigated": "challenge"}),
    "O27": (HOME + "ita/o27.html", 500, {}),
    "O28": (HOME + "ita/o28.html", None, {}),
}


class SiteFetcher(Fetcher):
    async def fetch(self, url: str) -> FetchResult:
        for found, status, headers in PAGES.values():
            if url == found:
                if status is None:
                    return FetchResult(url=url, final_url=url, error="connect_error", error_detail="refused")
                return FetchResult(url=url, final_url=url, status=status,
                                   headers={"content-type": "text/html; charset=utf-8", **headers},
                                   body=CONTENT.format(f"หน้า {status}").encode())
        links = "".join(f'<a href="{u}">{code}</a>' for code, (u, _, _) in PAGES.items())
        return FetchResult(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                           body=f"<title>หน้าแรก</title>{links}".encode())


class Recorder(BrowserFetcher):
    """A browser that records what it was asked to open and with which screenshot files."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: dict[str, tuple[bool, bool]] = {}

    async def start(self) -> bool:
        return True

    async def render(self, url: str, **kwargs: object) -> Rendered:
        self.opened[url] = (kwargs.get("screenshot") is not None, kwargs.get("thumbnail") is not None)
        body = CONTENT.format("rendered").encode()
        return Rendered(FetchResult(url=url, final_url=url, status=200, headers={"content-type": "text/html"},
                                    body=body, rendered_by="chromium"))


def config(tmp_path: Path, mode: str) -> object:
    items = "".join(f'[items.{code}]\nurls = ["{url}"]\n' for code, (url, _, _) in PAGES.items())
    return parse_config_text(f"""
[agency]
name = "กรมทดสอบ"
homepage = "{HOME}"
[audit]
checklist = "ita-2567"
select = {list(PAGES)!r}
[http]
soft_404_probe = false
[browser]
mode = "{mode}"
[evidence]
dir = "{tmp_path / 'evidence'}"
{items}""", str(tmp_path / "config.toml"), tmp_path)


def item_urls_opened(recorder: Recorder) -> dict[str, tuple[bool, bool]]:
    urls = {u: code for code, (u, _, _) in PAGES.items()}
    return {urls[u]: shots for u, shots in recorder.opened.items() if u in urls}


def test_auto_screenshots_only_the_pages_that_opened(tmp_path: Path) -> None:
    recorder = Recorder()
    result = run_audit(config(tmp_path, "auto"), fetcher=SiteFetcher(), renderer=recorder)
    # O1 opened (200); a 404, a 403 bot wall, a 200 bot challenge, a 500 and a refused connection are not visited
    assert item_urls_opened(recorder) == {"O1": (True, True)}
    assert {i.code: i.status.value for i in result.items}["O2"] == "fail"  # the 404 is still said


def test_always_still_opens_every_page_with_a_screenshot(tmp_path: Path) -> None:
    recorder = Recorder()
    run_audit(config(tmp_path, "always"), fetcher=SiteFetcher(), renderer=recorder)
    opened = item_urls_opened(recorder)
    assert {"O1", "O2", "O3", "O24", "O27"} <= set(opened)  # error pages and bot walls are evidence there
    assert all(shots == (True, True) for shots in opened.values())
