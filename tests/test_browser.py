"""Real browser: `streamlit run` on a free port, Debian's Chromium driven by Playwright.

Skipped, with the reason, where Chromium or Playwright is missing (.ci/run installs both).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser_support import REPO, chromium_path, launch, running_app, wait_for_app
from tests.conftest import sqlite_url

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(chromium_path() is None, reason="Chromium not found (apt-get install chromium)")

SHOTS = REPO / "artifacts" / "screenshots"
expect = playwright_api.expect


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def store_file(demo_template, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browser") / "demo.sqlite3"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture(scope="module")
def app(store_file, tmp_path_factory):
    """One server for the tests that do not need a fresh start."""
    with running_app(sqlite_url(store_file), tmp_path_factory.mktemp("log") / "server.log") as base:
        yield base


def open_page(browser, url: str, size=(1920, 1080)):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page.goto(url)
    wait_for_app(page)
    return page


def assert_healthy(page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)


@pytest.mark.parametrize("path", ["overview", "projects"])
def test_deep_link_on_the_first_request_after_a_fresh_start(browser, store_file, tmp_path, path):
    """A bookmark with filters, opened first after a restart, shows its page with its filters."""
    with running_app(sqlite_url(store_file), tmp_path / "server.log") as base:
        page = open_page(browser, f"{base}/{path}?year=2023&period=h1&township=鲁村镇")
        assert_healthy(page)
        assert re.search(rf"/{path}\?", page.url)
        expect(page.get_by_text("2023年上半年 · 鲁村镇")).to_be_visible()
        nav = page.get_by_test_id("stTopNav")
        expect(nav).to_contain_text("总览")
        legacy = re.compile(r"^(dashboard|overview|projects|subsidies|levy|publicity|sources)$")
        expect(nav.get_by_role("link", name=legacy)).to_have_count(0)  # no legacy file-name navigation
        expect(page.get_by_test_id("stMultiSelect")).to_contain_text("鲁村镇")
        page.close()


def test_overview_shows_the_seeded_totals(browser, app):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size in ((1920, 1080), (1024, 768)):
        page = open_page(browser, f"{app}/overview?year=2023&period=h1", size)
        assert_healthy(page)
        values = [v.replace("\n", "") for v in page.locator(".big-number .value").all_inner_texts()]
        assert values == ["121.58万元", "100.0%", "72篇"]
        notes = page.locator(".big-number .note").all_inner_texts()
        assert notes[0] == "惠及 2,531 人 · 350 户"
        expect(page.locator(".js-plotly-plot")).to_have_count(4)
        expect(page.locator(".js-plotly-plot").nth(2)).to_contain_text("206 家")
        page.screenshot(path=str(SHOTS / f"overview_{size[0]}x{size[1]}.png"))
        page.close()


def test_root_forwards_to_the_overview_with_the_filter(browser, app):
    page = open_page(browser, f"{app}/?year=2022")
    assert_healthy(page)
    assert re.search(r"/overview\?year=2022$", page.url)
    expect(page.get_by_text("2022年全年 · 全县")).to_be_visible()
    page.close()


def test_navigation_keeps_the_filter(browser, app):
    page = open_page(browser, f"{app}/overview?year=2023&period=h1&township=东里镇")
    page.get_by_test_id("stTopNav").get_by_text("补贴发放").click()
    wait_for_app(page)
    assert_healthy(page)
    expect(page).to_have_url(re.compile(r"/subsidies\?year=2023&period=h1&township="))
    expect(page.get_by_text("2023年上半年 · 东里镇")).to_be_visible()
    page.close()


@pytest.mark.parametrize("path", ["projects", "subsidies", "levy", "publicity", "sources"])
def test_area_pages_render(browser, app, path):
    page = open_page(browser, f"{app}/{path}?year=2023&period=h1")
    assert_healthy(page)
    expect(page.locator("h1")).to_have_count(1)
    page.screenshot(path=str(SHOTS / f"{path}_1920x1080.png"))
    page.close()


def choose(page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def count_rows(path: Path, sql: str) -> int:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


def test_progress_entry_in_the_browser(browser, demo_template, tmp_path):
    """Enter progress through the form and see the card and the township row change; bad input writes nothing."""
    store = tmp_path / "entry.sqlite3"
    shutil.copy(demo_template, store)
    entries = "SELECT COUNT(*) FROM progressentry"
    before = count_rows(store, entries)
    with running_app(sqlite_url(store), tmp_path / "server.log") as base:
        board = f"{base}/projects?year=2023&township=鲁村镇"
        page = open_page(browser, board)
        card_before = page.locator(".big-number .value").first.inner_text()
        page.close()

        page = open_page(browser, f"{base}/entry_projects?year=2023")
        assert_healthy(page)
        page.get_by_role("textbox", name="录入人").fill("张三")
        page.get_by_role("textbox", name="录入人").press("Enter")
        wait_for_app(page)
        choose(page, "乡镇（街道）", "鲁村镇")
        # bad input: money without a quantity → a message beside the field, no row
        page.get_by_role("spinbutton", name="金额（元）").fill("1350")
        page.get_by_role("spinbutton", name="金额（元）").press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("请填写数量")).to_be_visible()
        assert count_rows(store, entries) == before
        # good input (2 wheelchairs at 450 元: no warning), submitted with Enter
        page.get_by_role("spinbutton", name="金额（元）").fill("900")
        expect(page.get_by_role("spinbutton", name="数量（台）")).to_have_count(1)
        page.get_by_role("spinbutton", name="数量（台）").fill("2")
        page.get_by_role("spinbutton", name="数量（台）").press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("已保存：鲁村镇")).to_be_visible()
        assert count_rows(store, entries) == before + 1
        expect(
            page.get_by_test_id("stSelectbox").filter(has_text="乡镇（街道）").get_by_role("combobox")
        ).to_have_value("鲁村镇")
        # Enter again in the fresh, empty form must not save the same entry twice
        quantity = page.get_by_role("spinbutton", name="数量（台）")
        expect(quantity).to_have_count(1)  # the saved form is gone (under load it fades out slowly)
        expect(quantity).to_have_value("")
        quantity.press("Enter")
        wait_for_app(page)
        assert count_rows(store, entries) == before + 1
        page.screenshot(path=str(SHOTS / "entry_projects_1920x1080.png"))
        page.close()

        page = open_page(browser, board)
        card_after = page.locator(".big-number .value").first.inner_text()
        assert card_after != card_before
        row = page.get_by_test_id("stDataFrame").nth(1)
        expect(row).to_contain_text("鲁村镇")
        page.close()
    saved = count_rows(store, "SELECT quantity FROM progressentry ORDER BY id DESC LIMIT 1")
    assert saved == 2


def test_disbursement_entry_and_excel_download(browser, demo_template, tmp_path):
    """Enter a disbursement, see the township's total change, and download the table as Excel."""
    import openpyxl

    from data_layer.queries import subsidies
    from data_layer.scope import FilterSpec, make_scope

    store = tmp_path / "subsidy.sqlite3"
    shutil.copy(demo_template, store)
    url = sqlite_url(store)
    with running_app(url, tmp_path / "server.log") as base:
        board = f"{base}/subsidies?year=2023&period=h2&township=东里镇"
        page = open_page(browser, board)
        before = page.locator(".big-number .value").first.inner_text()
        page.close()

        page = open_page(browser, f"{base}/entry_subsidies?year=2023")
        page.get_by_role("textbox", name="录入人").fill("张三")
        page.get_by_role("textbox", name="录入人").press("Enter")
        wait_for_app(page)
        choose(page, "补贴类型", "房屋修缮补助")
        choose(page, "乡镇（街道）", "东里镇")
        choose(page, "所属月份：从", "2023年10月")
        choose(page, "至", "2023年10月")
        page.get_by_role("spinbutton", name="人（户）数（户）").fill("5")
        page.get_by_role("spinbutton", name="人（户）数（户）").press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("已保存")).to_be_visible()
        page.screenshot(path=str(SHOTS / "entry_subsidies_1920x1080.png"))
        page.close()

        page = open_page(browser, board)
        after = page.locator(".big-number .value").first.inner_text()
        assert before != after  # 5 households × 6,000 元 more in 东里镇
        with page.expect_download() as download:
            page.get_by_role("button", name="下载 Excel").click()
        path = tmp_path / "download.xlsx"
        download.value.save_as(path)
        page.close()
    sheet = openpyxl.load_workbook(path).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[1][0] == "筛选：2023年下半年 · 东里镇"
    header = values[4]
    data = {row[0]: dict(zip(header, row, strict=True)) for row in values[5:]}
    township_id = [
        r for r in __import__("sqlite3").connect(store).execute("SELECT id FROM township WHERE name = '东里镇'")
    ][0][0]
    scope = make_scope(FilterSpec(2023, "h2"), [township_id])
    expected = subsidies.totals_by_township(url, scope)
    assert data["东里镇"]["合计"] == pytest.approx(expected["amount_fen"].sum() / 1e6)
    assert data["合计"]["合计"] == pytest.approx(expected["amount_fen"].sum() / 1e6)
    assert data["东里镇"]["房屋修缮补助"] == pytest.approx(
        expected.loc[expected["type_code"] == "housing", "amount_fen"].sum() / 1e6
    )


def test_picking_a_township_in_the_matrix_narrows_the_page(browser, app):
    page = open_page(browser, f"{app}/projects?year=2023&period=h1&item=shuangbai.solar")
    matrix = page.get_by_test_id("stDataFrame").nth(2)  # items, townships of the item, then the matrix
    matrix.scroll_into_view_if_needed()
    box = matrix.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 40 + 40 * 3 + 20)  # the 4th township: 鲁村镇
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"township=%E9%B2%81%E6%9D%91%E9%95%87"))
    expect(page.get_by_text("2023年上半年 · 鲁村镇")).to_be_visible()
    page.close()
