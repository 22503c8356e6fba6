"""Screenshots of every page at projector and small-screen sizes, for people to look at.

    python scripts/screenshots.py [--out artifacts/screenshots] [--query "year=2023&period=h1"]
                                  [--user keshi --password keshi-2023]

Uses the store at DATABASE_URL (default: the app's SQLite file), started with `streamlit run`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_layer.infra import settings  # noqa: E402
from tests.browser_support import launch, running_app, wait_for_app  # noqa: E402

PAGES = [
    "overview",
    "projects",
    "subsidies",
    "levy",
    "publicity",
    "sources",
    "entry_projects",
    "entry_subsidies",
    "quality",
    "targets",
    "subsidy_types",
    "reporting",
    "accounts",
    "audit",
    "backup_restore",
]
SIZES = {"1920x1080": (1920, 1080), "1024x768": (1024, 768)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="artifacts/screenshots")
    parser.add_argument("--query", default="year=2023&period=h1")
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--scroll", type=int, default=0, help="also shoot N screens further down each page")
    parser.add_argument("--user", help="sign in as this account first (a demo account: see the README)")
    parser.add_argument("--password")
    parser.add_argument("--open", action="store_true", help="open every expander (folded lists) before shooting")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp()) / "server.log"
    with running_app(settings.database_url(), log) as base, sync_playwright() as p:
        browser = launch(p)
        for size, (w, h) in SIZES.items():
            page = browser.new_page(viewport={"width": w, "height": h}, locale="zh-CN")
            if args.user:
                sign_in(page, base, args.user, args.password)
            prefix = f"{args.user}_" if args.user else ""
            for name in args.pages:
                page.goto(f"{base}/{name}?{args.query}")
                wait_for_app(page)
                if args.open:
                    for summary in page.locator("[data-testid='stExpander'] summary").all():
                        summary.click()
                    page.wait_for_timeout(1500)
                path = out / f"{prefix}{name}_{size}.png"
                page.screenshot(path=str(path))
                print(path)
                for n in range(1, args.scroll + 1):
                    page.mouse.move(w / 2, h / 2)
                    page.mouse.wheel(0, h - 150)  # the app scrolls inside its main section
                    page.wait_for_timeout(700)
                    path = out / f"{prefix}{name}_{size}_{n}.png"
                    page.screenshot(path=str(path))
                    print(path)
            page.close()
        browser.close()


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/signin")
    wait_for_app(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    wait_for_app(page)


if __name__ == "__main__":
    main()
