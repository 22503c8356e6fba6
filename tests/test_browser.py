"""Real browser: `streamlit run` on a free port, Debian's Chromium driven by Playwright.

Skipped, with the reason, where Chromium or Playwright is missing (.ci/run installs both).
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from data_layer.services.records import services_for
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
    lan_only(page)
    page.goto(url)
    wait_for_app(page)
    return page


def lan_only(page) -> None:
    """The county LAN has no internet: block every request that is not to the app, and remember it, and
    every request that failed, so a test can say nothing on the page needed the outside world. Downloads are
    remembered too: Chromium may report a file it hands to its download manager as an aborted request."""
    page.outside, page.failed, page.downloads = [], [], []

    def route(request_route) -> None:
        host = urlparse(request_route.request.url).hostname
        if host in ("127.0.0.1", "localhost") or request_route.request.url.startswith(("data:", "blob:")):
            request_route.continue_()
        else:
            page.outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda request: page.failed.append((request.url, request.failure)))
    page.on("download", lambda download: page.downloads.append(download.url))


def assert_healthy(page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert page.outside == [], f"requests outside the LAN: {page.outside}"
    # The app's websocket closes when a page is left; a download's contents are checked by the test that asked.
    failed = [(url, why) for url, why in page.failed if "_stcore/stream" not in url and url not in page.downloads]
    assert failed == [], failed


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
        assert values == ["121.58万元", "0.00万元", "72篇"]  # levy: nothing collected by 30 June (issue 10)
        notes = page.locator(".big-number .note").all_inner_texts()
        assert notes[0] == "惠及 2,531 人 · 350 户"
        expect(page.locator(".js-plotly-plot")).to_have_count(4)
        expect(page.locator(".js-plotly-plot").nth(2)).to_contain_text("99.6%")  # 检查覆盖率: 1,530 of 1,536
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


ENGLISH = re.compile(r"[A-Za-z]{2,}")
CREDIT_CODE = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Za-z])")


def english_on_screen(page) -> list[str]:
    """Latin words in the page's text (Streamlit's input hint is checked on its own; a data grid draws on a
    canvas, and its hidden accessible copy holds raw link targets, so grids are left out; an icon's name is
    a font ligature, drawn as the icon)."""
    text = page.evaluate(
        """() => {
          const main = document.querySelector('[data-testid="stMain"]').cloneNode(true);
          // Streamlit's English hints and the uploader's button are replaced by Chinese through CSS (frame.py)
          const hidden = '[data-testid="InputInstructions"], [data-testid="stDataFrame"], ' +
            '[data-testid="stFileUploaderDropzoneInstructions"], ' +
            '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"], ' +
            '[aria-hidden="true"][translate="no"], script, style';  // an icon: "error" draws ⓘ
          main.querySelectorAll(hidden).forEach(e => e.remove());
          return main.innerText;
        }"""
    )
    text = CREDIT_CODE.sub("", text)  # an employer's 统一社会信用代码 holds capital letters: not English
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in ENGLISH.finditer(text)]


FILE_FORMATS = re.compile(r"\b(Excel|CSV|Word|PowerPoint)\b")


def latin_names(page) -> list[str]:
    """Latin words in the names and hints a screen reader reads or a tooltip shows, anywhere in the document (a
    dropdown and a toast are drawn outside the page's main block), beyond the names of file formats."""
    said = page.evaluate(
        """() => [...document.querySelectorAll('[aria-label], [title], [placeholder]')]
          .flatMap((e) => ['aria-label', 'title', 'placeholder'].map((a) => e.getAttribute(a) || ''))"""
    )
    return [s for s in said if ENGLISH.search(FILE_FORMATS.sub("", s))]


def test_streamlit_s_own_english_is_said_in_chinese(browser, app):
    """A dropdown with no match, the select's and the date's parts, the number steppers: Chinese words and names
    (pages/common/chinese_names.py sets them after Streamlit draws them); the page says it is Chinese."""
    page = open_page(browser, f"{app}/signin?next=/entry_projects", (1024, 768))
    sign_in_as(page, "keshi")
    page.goto(f"{app}/entry_projects?year=2023")
    wait_for_app(page)
    page.get_by_label("乡镇（街道）").first.click()
    page.keyboard.type("xyz")
    expect(page.get_by_role("listbox")).to_have_text("没有匹配的选项")
    assert latin_names(page) == []
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    page.keyboard.press("Escape")
    page.close()


def input_hint(page) -> str:
    """What Streamlit's hint under the focused input shows (its English text is hidden, a Chinese one shown)."""
    return page.evaluate(
        """() => {
          const span = document.querySelector('[data-testid="InputInstructions"] > span');
          if (!span) return "";
          const shown = getComputedStyle(span).fontSize === "0px" ? "" : span.innerText;
          return shown + getComputedStyle(span, "::after").content.replaceAll('"', "");
        }"""
    )


DEMO_PASSWORDS = {"lingdao": "lingdao-2023", "keshi": "keshi-2023", "lucun": "lucun-2023", "admin": "admin-2023"}


def sign_in_as(page, username: str) -> None:
    """Through the sign-in form a page shows when it needs an account (it comes back to the same page)."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    wait_for_app(page)


def toasts(page) -> str:
    return " ".join(page.get_by_test_id("stToast").all_inner_texts())


def test_progress_entry_as_a_new_user(browser, demo_template, tmp_path):
    """A new user enters progress: bad input writes nothing; Enter saves once and a second Enter in the fresh
    form saves nothing; the toast names what was saved; item, township and date stay; the name stays on
    other pages and in a new tab; the board changes; no English on screen."""
    store = tmp_path / "entry.sqlite3"
    shutil.copy(demo_template, store)
    entries = "SELECT COUNT(*) FROM progressentry"
    before = count_rows(store, entries)
    with running_app(sqlite_url(store), tmp_path / "server.log") as base:
        board = f"{base}/projects?year=2023&township=鲁村镇"
        page = open_page(browser, board)
        card_before = page.locator(".big-number .value").first.inner_text()
        page.close()

        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        page = context.new_page()
        lan_only(page)
        page.goto(f"{base}/entry_projects?year=2023&period=h1")
        wait_for_app(page)
        assert_healthy(page)
        sign_in_as(page, "keshi")
        choose(page, "乡镇（街道）", "鲁村镇")
        quantity = page.get_by_role("textbox", name="数量（台）")
        amount = page.get_by_role("textbox", name="金额（元）")
        # bad input: money without a quantity → a message beside the field, no row
        amount.fill("1350")
        amount.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("请填写数量")).to_be_visible()
        assert count_rows(store, entries) == before
        # good input (2 wheelchairs at 450 元: no warning), submitted with Enter
        amount.fill("900")
        quantity.fill("2")
        assert input_hint(page) == "按回车键保存"
        quantity.press("Enter")
        wait_for_app(page)
        new_id = before + 1
        expect(page.get_by_test_id("stToast")).to_contain_text(
            f"已保存 #{count_rows(store, 'SELECT MAX(id) FROM progressentry')}"
        )
        assert "鲁村镇 · 捐赠轮椅 2 台，900.00 元（2023-06-30）" in toasts(page)
        assert latin_names(page) == []  # the toast's close button too
        assert count_rows(store, entries) == new_id
        township = page.get_by_test_id("stSelectbox").filter(has_text="乡镇（街道）").get_by_role("combobox")
        expect(township).to_have_value("鲁村镇")
        expect(page.get_by_test_id("stSelectbox").filter(has_text="指标").get_by_role("combobox")).to_have_value(
            "双百工程 · 捐赠轮椅（台）"
        )
        expect(page.get_by_test_id("stDateInput")).to_contain_text("30")  # 2023-06-30 stays for the next entry
        # Enter again in the fresh, empty form must not save the same entry twice
        quantity = page.get_by_role("textbox", name="数量（台）")
        expect(quantity).to_have_count(1)  # the saved form is gone (under load it fades out slowly)
        expect(quantity).to_have_value("")
        quantity.press("Enter")
        wait_for_app(page)
        assert count_rows(store, entries) == new_id
        expect(page.get_by_text("请填写数量")).to_be_visible()  # an empty form says what is missing
        assert english_on_screen(page) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "entry_projects_1920x1080.png"))
        page.set_viewport_size({"width": 1024, "height": 768})
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / "entry_projects_1024x768.png"))
        # the account stays signed in on another page and in a new tab of the same browser
        page.get_by_test_id("stTopNav").get_by_text("数据录入").click()
        page.get_by_text("补贴发放录入", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_text("录入人：演示科室人员（科室人员）")).to_be_visible()
        tab = context.new_page()
        tab.goto(f"{base}/entry_subsidies?year=2023")
        wait_for_app(tab)
        expect(tab.get_by_text("录入人：演示科室人员（科室人员）")).to_be_visible()
        context.close()

        page = open_page(browser, board)
        card_after = page.locator(".big-number .value").first.inner_text()
        assert card_after != card_before
        row = page.get_by_test_id("stDataFrame").nth(1)
        expect(row).to_contain_text("鲁村镇")
        page.close()
    saved = count_rows(store, "SELECT quantity FROM progressentry ORDER BY id DESC LIMIT 1")
    assert saved == 2


def test_disbursement_entry_and_excel_download(browser, demo_template, tmp_path):
    """Enter a disbursement (the filter's township preselected, the amount previewed while typing, the months
    kept after the save), see the township's total change, and download the table as Excel."""
    import openpyxl

    from data_layer.domain import text
    from data_layer.domain.scope import FilterSpec, make_scope
    from data_layer.queries import subsidies

    store = tmp_path / "subsidy.sqlite3"
    shutil.copy(demo_template, store)
    url = sqlite_url(store)
    with running_app(url, tmp_path / "server.log") as base:
        board = f"{base}/subsidies?year=2023&period=h2&township=东里镇"
        page = open_page(browser, board)
        before = page.locator(".big-number .value").first.inner_text()
        page.close()

        page = open_page(browser, f"{base}/entry_subsidies?year=2023&period=h2&township=东里镇")
        sign_in_as(page, "keshi")
        township = page.get_by_test_id("stSelectbox").filter(has_text="乡镇（街道）").get_by_role("combobox")
        expect(township).to_have_value("东里镇")  # from the filter
        choose(page, "补贴类型", "房屋修缮补助")
        choose(page, "所属月份：从", "2023年10月")
        choose(page, "至", "2023年10月")
        count = page.get_by_role("textbox", name="人（户）数（户）")
        count.fill("5")
        expect(page.locator(".entry-preview")).to_have_text("金额 = 5 户 × 6,000.00 元 = 30,000.00 元")
        page.get_by_role("textbox", name="实发金额（元，可空）").fill("29000")
        expect(page.locator(".entry-preview")).to_contain_text("实发 29,000.00 元，与计算值不同")
        page.get_by_role("textbox", name="实发金额（元，可空）").fill("")
        count.press("Enter")
        wait_for_app(page)
        expect(page.get_by_test_id("stToast")).to_contain_text("东里镇 · 房屋修缮补助 5 户，30,000.00 元（2023-10，")
        kept = page.get_by_test_id("stSelectbox").filter(has_text="所属月份：从").get_by_role("combobox")
        expect(kept).to_have_value("2023年10月")
        assert english_on_screen(page) == []
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
    sheet = openpyxl.load_workbook(path)["分乡镇发放金额"]  # after 主要指标, the township table
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[1][0] == "筛选：2023年下半年 · 东里镇"
    header = values[4]
    data = {row[0]: dict(zip(header, row, strict=True)) for row in values[5:]}
    township_id = [
        r for r in __import__("sqlite3").connect(store).execute("SELECT id FROM township WHERE name = '东里镇'")
    ][0][0]
    scope = make_scope(FilterSpec(2023, "h2"), [township_id])
    expected = subsidies.totals_by_township(url, scope)
    paid = int(expected["amount_fen"].sum())
    assert data["东里镇"]["合计（万元）"] == data["合计"]["合计（万元）"] == float(text.wan_number(paid))
    housing = int(expected.loc[expected["type_code"] == "housing", "amount_fen"].sum())
    assert data["东里镇"]["房屋修缮补助（万元）"] == float(text.wan_number(housing))


@pytest.mark.parametrize("path", ["entry_projects", "entry_subsidies"])
def test_the_month_grid_shows_every_township_without_scrolling(browser, app, path):
    for size in ((1920, 1080), (1024, 768)):
        page = open_page(browser, f"{app}/{path}?year=2023&period=h1", size)
        sign_in_as(page, "keshi")
        page.get_by_text("按月批量录入").click()
        wait_for_app(page)
        scroller = page.get_by_test_id("stDataFrame").first.locator(".dvn-scroller")
        sizes = scroller.evaluate("e => [e.scrollHeight, e.clientHeight]")
        assert sizes[0] <= sizes[1], f"the grid scrolls ({sizes}): a township is hidden"
        assert english_on_screen(page) == []
        page.get_by_test_id("stDataFrame").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{path}_grid_{size[0]}x{size[1]}.png"))
        page.close()


WIDER_THAN_SHOWN = """() => {
  const over = (e) => e.scrollWidth - e.clientWidth > 2;
  const grids = [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')].filter(over);
  const tables = [...document.querySelectorAll('.read-table')].filter(over);
  return {page: document.scrollingElement.scrollWidth - innerWidth, grids: grids.length, tables: tables.length};
}"""


def test_no_board_scrolls_sideways_on_a_1024_projector(browser, app):
    """Every board at 1024×768: the page, each grid and each table fit the screen's width (a grid sizes its
    columns to their longest cell, so the wide lists are read as wrapping tables and the matrix by project)."""
    page = open_page(browser, f"{app}/signin?next=/overview", (1024, 768))
    sign_in_as(page, "admin")
    for path in ("overview", "projects", "subsidies", "levy", "publicity", "other_work", "quality", "reporting"):
        page.goto(f"{app}/{path}?year=2023&period=h1")
        wait_for_app(page)
        assert page.evaluate(WIDER_THAN_SHOWN) == {"page": 0, "grids": 0, "tables": 0}, path
    page.close()


FIRST_FIELD_BOTTOM = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const field = [...main.querySelectorAll('input:not([type=hidden]), textarea')]
    .find((e) => !e.closest('.st-key-filter-row') && e.getBoundingClientRect().height > 0);
  return field ? field.getBoundingClientRect().bottom + main.scrollTop : null;
}"""


def test_a_township_officer_on_a_phone_reaches_the_first_field_without_scrolling(browser, app):
    """390×844: the title, the filter row (two lines, not four) and the entry tabs leave the first field of every
    entry page within the first screen."""
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN")
    lan_only(page)
    page.goto(f"{app}/signin?next=/overview")
    wait_for_app(page)
    sign_in_as(page, "lucun")
    for path in ("entry_projects", "entry_subsidies", "entry_publicity", "entry_other_work"):
        page.goto(f"{app}/{path}?year=2023")
        wait_for_app(page)
        bottom = page.evaluate(FIRST_FIELD_BOTTOM)
        assert bottom is not None and bottom <= 844, (path, bottom)
    page.screenshot(path=str(SHOTS / "phone_entry_other_work_390x844.png"))
    page.close()


LABELS_OUTSIDE = """(chart) => {
  const box = chart.querySelector('.main-svg').getBoundingClientRect();
  const labels = [...chart.querySelectorAll('.xtick text, .ytick text, .textpoint text, .bartext, .annotation-text')];
  const outside = labels.filter((t) => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
      || r.bottom > box.bottom + 1);
  });
  return [labels.length, outside.map((t) => t.textContent)];
}"""


@pytest.mark.parametrize("path", ["projects", "subsidies"])
def test_the_monthly_charts_labels_sit_inside_their_boxes(browser, app, path):
    """重点工程's 逐月累计 and 补贴发放's monthly chart at both sizes: every month under the axis and every value over
    a point or bar inside the chart's own box (the months sat at y = 314 in a 320 px chart, the top value cut)."""
    for size in ((1920, 1080), (1024, 768)):
        page = open_page(browser, f"{app}/{path}?year=2023&period=h1", size)
        charts = page.get_by_test_id("stPlotlyChart")
        expect(charts.first).to_be_visible()
        page.wait_for_timeout(500)  # Plotly lays its labels out after the first paint
        for n in range(charts.count()):
            if not charts.nth(n).is_visible():  # a chart in a closed tab
                continue
            labels, outside = charts.nth(n).evaluate(LABELS_OUTSIDE)
            assert labels > 0 and outside == [], (path, size, n, outside)
        page.close()


def test_a_screen_reader_reads_each_chart_label_with_its_own_value(browser, app):
    """总览, 2023 上半年: each chart is read as its words from the figure layer (a label beside its value, in the
    order drawn), not as its SVG's labels and values apart; each has its numbers as a table to read."""
    page = open_page(browser, f"{app}/overview?year=2023&period=h1")
    tree = page.locator("body").aria_snapshot()
    read = (("双百工程", "58.3%"), ("低保重度生活补贴", "53.10 万元"), ("年审完成率", "0.0%"), ("市级", "41 篇"))
    for label, value in read:  # “双百工程 完成进度 58.3%，序时进度 49.6%；…”: the value before the next label
        assert re.search(rf"{label}[^；]*? {re.escape(value)}", tree), (label, value)
    assert "0.0% 99.6%" not in tree  # the levy chart's SVG read its values apart from their labels
    expanders = page.get_by_test_id("stExpander").filter(has_text="以表格查看")
    assert expanders.count() == page.get_by_test_id("stPlotlyChart").count() > 0
    expanders.first.get_by_text("以表格查看").click()
    table = expanders.first.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="双百工程")).to_contain_text("58.3")
    page.close()


def test_picking_a_township_in_the_matrix_narrows_the_page(browser, app):
    page = open_page(browser, f"{app}/projects?year=2023&period=h1&item=shuangbai.solar")
    matrix = page.get_by_test_id("stDataFrame").nth(1)  # the items, then the matrix's first project (双百工程)
    matrix.scroll_into_view_if_needed()
    box = matrix.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 40 + 40 * 3 + 20)  # the 4th township: 鲁村镇
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"township=%E9%B2%81%E6%9D%91%E9%95%87"))
    expect(page.get_by_text("2023年上半年 · 鲁村镇")).to_be_visible()
    page.close()


def main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def test_a_sign_in_lasts_across_reloads_and_tabs_and_ends_everywhere_on_sign_out(browser, app):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{app}/entry_projects?year=2023")
    wait_for_app(page)
    expect(page.get_by_role("button", name="登录")).to_be_visible()  # entry needs an account
    sign_in_as(page, "keshi")
    expect(page).to_have_url(re.compile(r"/entry_projects\?year=2023"))  # back where the person was
    signed_in = page.get_by_text("录入人：演示科室人员（科室人员）")
    expect(signed_in).to_be_visible()
    cookie = next(c for c in context.cookies() if c["name"] == "dpf_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.reload()
    wait_for_app(page)
    expect(signed_in).to_be_visible()
    tab = context.new_page()
    tab.goto(f"{app}/entry_subsidies?year=2023")
    wait_for_app(tab)
    expect(tab.get_by_text("录入人：演示科室人员（科室人员）")).to_be_visible()
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()
    wait_for_app(page)
    expect(page.get_by_role("link", name="登录")).to_be_visible()
    tab.reload()  # the other tab is signed out too
    wait_for_app(tab)
    expect(tab.get_by_role("button", name="登录")).to_be_visible()
    context.close()
    # the old cookie, replayed by another browser, is nobody
    thief = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    thief.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    page = thief.new_page()
    page.goto(f"{app}/entry_projects?year=2023")
    wait_for_app(page)
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    expect(page.get_by_text("录入人")).to_have_count(0)
    expect(page.get_by_text("登录已失效")).to_be_visible()
    thief.close()


def test_a_wrong_password_says_so_in_chinese_and_signs_nobody_in(browser, app):
    page = open_page(browser, f"{app}/signin?next=/entry_projects")
    page.get_by_label("用户名").fill("keshi")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    wait_for_app(page)
    expect(page.get_by_text("用户名或密码不对")).to_be_visible()
    assert [c for c in page.context.cookies() if c["name"] == "dpf_session"] == []
    assert english_on_screen(page) == []
    page.close()


def test_a_township_officer_sees_only_their_own_township(browser, app):
    page = open_page(browser, f"{app}/signin?next=/subsidies%3Fyear%3D2023%26township%3D东里镇")
    sign_in_as(page, "lucun")
    assert_healthy(page)
    expect(page.get_by_text("乡镇专职干事只能查看本乡镇的数据：显示的是鲁村镇，不是东里镇。")).to_be_visible()
    expect(page.get_by_text("2023年全年 · 鲁村镇")).to_be_visible()
    shown = main_text(page).replace("不是东里镇", "")
    others = [t for t in ("东里镇", "南麻街道", "悦庄镇", "燕崖镇") if t in shown]
    assert others == [], f"another township on a township officer's page: {others}"
    page.close()


def test_a_leader_has_no_entry_page(browser, app):
    page = open_page(browser, f"{app}/signin?next=/overview")
    sign_in_as(page, "lingdao")
    nav = page.get_by_test_id("stTopNav")
    expect(nav).to_contain_text("总览")
    expect(nav.get_by_text("数据录入")).to_have_count(0)
    page.goto(f"{app}/entry_projects?year=2023")
    wait_for_app(page)
    expect(page.get_by_text("领导账号只能查看，不能录入。")).to_be_visible()
    expect(page.get_by_role("button", name="保存")).to_have_count(0)
    page.close()


def test_backup_download_and_restore_through_the_page(browser, demo_template, tmp_path):
    """An administrator downloads a backup, data changes, the backup is restored after its dry run: the store
    holds what it held at the backup, and a copy of the changed store was kept first."""
    store = tmp_path / "backup.sqlite3"
    shutil.copy(demo_template, store)
    entries = "SELECT COUNT(*) FROM progressentry"
    with running_app(sqlite_url(store), tmp_path / "server.log") as base:
        page = open_page(browser, f"{base}/signin?next=/backup_restore")
        sign_in_as(page, "admin")
        page.get_by_role("button", name="生成备份文件").click()
        wait_for_app(page)
        with page.expect_download() as download:
            page.get_by_role("button", name=re.compile("^下载（")).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.suffix == ".dpfbak"
        at_backup = count_rows(store, entries)
        import sqlite3

        with sqlite3.connect(store) as conn:  # a change after the backup: 10 entries gone
            conn.execute("DELETE FROM progressentry WHERE id IN (SELECT id FROM progressentry LIMIT 10)")
        assert count_rows(store, entries) == at_backup - 10
        upload = page.get_by_test_id("stFileUploaderDropzone").get_by_test_id("stBaseButton-secondary")
        shown = upload.evaluate("b => [b.innerText.trim(), getComputedStyle(b, '::after').content]")
        assert shown == ["", '"选择文件"'], shown  # Streamlit's "Upload" is hidden, a Chinese word shown instead
        page.locator("input[type=file]").set_input_files(str(saved))
        wait_for_app(page)
        expect(page.get_by_text("下表是恢复后与现在各表的行数")).to_be_visible()
        page.screenshot(path=str(SHOTS / "backup_restore_dry_run_1920x1080.png"), full_page=True)
        page.get_by_text("我已核对，用这个备份替换当前全部数据").click()
        wait_for_app(page)
        page.get_by_role("button", name="恢复", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_text(re.compile("已恢复到 .* 的备份"))).to_be_visible()
        wait_for_app(page)  # the run after the restore has replaced the dry run's elements
        expect(page.get_by_text("下表是恢复后与现在各表的行数")).to_have_count(0)
        assert english_on_screen(page) == []
        page.screenshot(path=str(SHOTS / "backup_restore_1920x1080.png"))
        page.close()
    assert count_rows(store, entries) == at_backup


# --- 残保金: from an imported list to the levy due ---------------------------------------------------------


def fill_date(page, label: str, day: str) -> None:
    """Streamlit's date box is a field of segments (year, month, day): type the digits into the first one."""
    group = page.get_by_role("group", name=label, exact=True).first
    group.locator("[role=spinbutton]").first.focus()  # a click would open the calendar over the form
    page.keyboard.type(day.replace("-", ""))
    if page.locator("#stFloatingOverlayPortal header").count():
        page.keyboard.press("Escape")


def employer_workbook(path: Path, rows: list[list]) -> None:
    import openpyxl

    from data_layer.documents.employer_sheet import HEADERS

    book = openpyxl.Workbook()
    book.active.append(list(HEADERS))
    for row in rows:
        book.active.append(row)
    book.save(path)


def a_credit_code(credit_code) -> str:
    """A valid code no demo employer has (the organisation check character must not be X)."""
    for digit in "0123456789":
        try:
            return credit_code.make("91", "370323", f"MA7TEWT{digit}")
        except ValueError:
            continue
    raise AssertionError("no code")


def test_levy_from_an_imported_list_to_the_levy_due(browser, demo_template, tmp_path):
    """Import a list (a new employer and a change to a registered one), see the dry run, commit; find the new
    employer, notify, declare, put a disabled employee on its roster, approve; assess the year and read the
    amount with its breakdown. A leader following the link sees the roster masked."""
    import sqlite3

    from data_layer.domain import credit_code, id_number

    store = tmp_path / "levy.sqlite3"
    shutil.copy(demo_template, store)
    with sqlite3.connect(store) as conn:
        old_code, old_name, old_staff, town, disabled, wage, size, above = conn.execute(
            "SELECT e.credit_code, e.name, e.staff, t.name, e.disabled_staff, e.avg_wage_fen / 100, e.size_class, "
            "e.above_designated_size FROM employer e JOIN township t ON t.id = e.township_id ORDER BY e.id LIMIT 1"
        ).fetchone()
    sizes = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
    code = a_credit_code(credit_code)
    new_name = "沂源演示浏览器测试有限公司"
    workbook = tmp_path / "名单.xlsx"
    employer_workbook(
        workbook,
        [
            [new_name, code, "鲁村镇", 120, 1, 60000, "中型", "否", "2023-03-01"],
            [old_name, old_code, town, old_staff + 7, disabled, wage, sizes[size], "是" if above else "否", None],
        ],
    )
    person = id_number.make("37032319850317123")
    with running_app(sqlite_url(store), tmp_path / "server.log") as base:
        page = open_page(browser, f"{base}/levy_registry?year=2023")
        sign_in_as(page, "keshi")
        page.get_by_role("tab", name="批量导入").click()
        wait_for_app(page)
        page.locator("input[type=file]").set_input_files(str(workbook))
        wait_for_app(page)
        commit = page.get_by_role("button", name="确认导入：新增 1 家，更新 1 家")
        expect(commit).to_be_visible()
        expect(page.get_by_text(f"职工人数：{old_staff:,} → {old_staff + 7:,}")).to_be_attached()  # a grid cell
        assert english_on_screen(page) == [] or all("xlsx" in w or "csv" in w.lower() for w in english_on_screen(page))
        page.screenshot(path=str(SHOTS / "levy_import_preview_1920x1080.png"), full_page=True)
        commit.click()
        wait_for_app(page)
        expect(page.get_by_text(re.compile("已导入“名单.xlsx”：新增 1 家，更新 1 家"))).to_be_visible()
        assert count_rows(store, f"SELECT staff FROM employer WHERE credit_code = '{old_code}'") == old_staff + 7

        page.goto(f"{base}/levy_reviews?year=2023")
        wait_for_app(page)
        page.get_by_label("查找用人单位").fill(code)
        page.get_by_label("查找用人单位").press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("2023 年尚未向这家单位发出年审通知")).to_be_visible()
        fill_date(page, "通知日期", "2023-06-28")
        page.get_by_role("button", name="发送年审通知", exact=True).click()
        wait_for_app(page)
        fill_date(page, "申报日期", "2023-07-10")
        page.get_by_label("上年在职职工人数（人）").fill("120")
        page.get_by_label("上年职工年平均工资（元）").fill("60000")
        page.get_by_label("申报残疾职工人数（人）").fill("1")
        page.get_by_role("button", name="保存申报").click()
        wait_for_app(page)
        # under load the run's new roster form can stand beside the old one for a moment
        expect(page.get_by_label("姓名")).to_have_count(1, timeout=30_000)
        page.get_by_label("姓名").fill("演示职工甲")
        page.get_by_label("身份证号（18 位）").fill(person)
        page.get_by_label("残疾人证号（20 位）").fill(person + "43")
        for label, option in (("残疾类别", "肢体"), ("残疾等级", "三级")):  # inside a form: typed, no rerun
            box = page.get_by_role("combobox", name=label)
            box.click()
            box.fill(option)
            box.press("Enter")
        page.get_by_role("button", name="加入名册").click()
        wait_for_app(page)
        fill_date(page, "审核日期", "2023-08-01")
        page.get_by_role("button", name="审核通过").click()
        wait_for_app(page)
        review = count_rows(
            store,
            f"SELECT r.id FROM annualreview r JOIN employer e ON e.id = r.employer_id WHERE e.credit_code = '{code}'",
        )
        assert count_rows(store, f"SELECT status = 'approved' FROM annualreview WHERE id = {review}") == 1
        page.screenshot(path=str(SHOTS / "levy_review_1920x1080.png"), full_page=True)

        page.goto(f"{base}/levy_collection?year=2023")
        wait_for_app(page)
        page.get_by_text("批量核定", exact=True).click()
        wait_for_app(page)
        fill_date(page, "核定日期", "2023-10-20")
        fill_date(page, "缴纳期限", "2023-11-30")
        page.get_by_role("button", name="试算（不保存）").click()
        wait_for_app(page)
        # 120 staff × 1.5 % = 1.8; one grade-3 employee all year = 1; 0.8 × 60,000 元 × 90 % (below 1 %)
        page.get_by_role("button", name="确认核定这 1 家单位（合计 43,200.00 元）").click()
        wait_for_app(page)
        assessment = count_rows(store, f"SELECT id FROM levyassessment WHERE review_id = {review}")
        page.goto(f"{base}/levy_collection?year=2023&record={assessment}")
        wait_for_app(page)
        shown = main_text(page)
        assert "43,200" in shown and "1.8" in shown and "90%" in shown, shown
        assert english_on_screen(page) == []
        page.screenshot(path=str(SHOTS / "levy_assessment_1920x1080.png"), full_page=True)
        page.close()

        page = open_page(browser, f"{base}/signin?next=/levy_reviews%3Fyear%3D2023%26record%3D{review}")
        sign_in_as(page, "lingdao")
        assert_healthy(page)
        expect(page.get_by_text("只能查看年审，不能录入")).to_be_visible()
        expect(page.get_by_role("button", name="加入名册")).to_have_count(0)
        html = page.content()
        assert person not in html and "演示职工甲" not in html  # not even hidden in the page
        expect(page.get_by_text(id_number.mask(person)).first).to_be_attached()  # a grid cell
        page.close()


def test_an_article_moves_its_levels_count_and_share_and_a_repeated_title_asks_first(browser, demo_template, tmp_path):
    """Enter an article for a national outlet: a title already recorded asks for confirmation (nothing saved
    until confirmed with a note); once saved, 信息宣传 shows one more 国家级 article and a higher share done."""
    store = tmp_path / "publicity.sqlite3"
    shutil.copy(demo_template, store)
    national = "SELECT COUNT(*) FROM article a JOIN outlet o ON o.id = a.outlet_id WHERE o.level = 'national'"
    taken = "SELECT title FROM article WHERE published_on LIKE '2023-%' ORDER BY id LIMIT 1"
    import sqlite3

    with sqlite3.connect(store) as conn:
        title = conn.execute(taken).fetchone()[0]
    before = count_rows(store, national)
    with running_app(sqlite_url(store), tmp_path / "server.log") as base:
        board = f"{base}/publicity?year=2023"
        page = open_page(browser, board)
        card = page.locator(".big-number").nth(1)
        expect(card).to_contain_text("国家级")
        count_before = card.locator(".value").inner_text()
        share_before = page.locator(".pace-done").nth(1).inner_text()
        page.close()

        page = open_page(browser, f"{base}/entry_publicity?year=2023")
        sign_in_as(page, "keshi")
        subject = page.get_by_test_id("stSelectbox").filter(has_text="发表媒体").get_by_role("combobox")
        expect(subject).to_have_value("中残联信息网站（国家级）")
        box = page.get_by_role("textbox", name="稿件标题")
        box.fill(title)
        box.press("Enter")
        wait_for_app(page)
        expect(page.get_by_text("以下数值可能有误，请核实")).to_be_visible()
        expect(page.get_by_text("标题相同的稿件已录入")).to_be_visible()
        assert count_rows(store, national) == before  # nothing saved before the confirmation
        note = page.get_by_role("textbox", name="核实说明（例如“已电话核实”）")
        expect(note).to_be_focused()  # the step came into view with the cursor in its note
        note.fill("同题不同稿，已核实")
        note.press("Enter")  # Enter in the note confirms, once
        wait_for_app(page)
        page.keyboard.press("Enter")  # a second Enter right after saves nothing more
        wait_for_app(page)
        expect(page.get_by_test_id("stToast")).to_contain_text("已保存")
        assert count_rows(store, national) == before + 1
        assert_healthy(page)
        assert english_on_screen(page) == []
        page.close()

        page = open_page(browser, board)
        card = page.locator(".big-number").nth(1)
        assert (
            int(card.locator(".value").inner_text().replace("篇", "").strip())
            == int(count_before.replace("篇", "").strip()) + 1
        )
        share_after = page.locator(".pace-done").nth(1).inner_text()
        assert float(share_after[3:-1]) > float(share_before[3:-1])  # “完成 54.2%”
        assert_healthy(page)
        page.close()
    saved = count_rows(store, "SELECT COUNT(*) FROM article WHERE warning_note = '同题不同稿，已核实'")
    assert saved == 1


def test_an_indicator_value_entered_shows_on_other_work(browser, demo_template, tmp_path):
    """From the entry page to 其他工作: a value saved for the first indicator (the month's period kept
    from the filter) is in the indicator's 本期 on 其他工作, equal to a plain sum of the store's rows."""
    import sqlite3

    from data_layer.domain import text

    store = tmp_path / "other.sqlite3"
    shutil.copy(demo_template, store)
    with sqlite3.connect(store) as conn:
        indicator_id, name = conn.execute("SELECT id, name FROM indicator ORDER BY sort_order, id LIMIT 1").fetchone()
    total = (
        "SELECT COALESCE(SUM(value), 0) FROM indicatorvalue WHERE deleted_at IS NULL "
        f"AND indicator_id = {indicator_id} AND period_start BETWEEN '2023-01-01' AND '2023-12-31'"
    )
    before = count_rows(store, total)
    with running_app(sqlite_url(store), tmp_path / "server.log") as base:
        page = open_page(browser, f"{base}/entry_other_work?year=2023")
        sign_in_as(page, "keshi")
        expect(page.get_by_test_id("stSelectbox").filter(has_text="指标").get_by_role("combobox")).to_have_value(
            re.compile(name)
        )
        box = page.get_by_role("textbox", name=re.compile("数值"))
        box.fill("7")
        box.press("Enter")
        wait_for_app(page)
        if page.get_by_text("以下数值可能有误，请核实").count():  # the township's seeded half-year overlaps December
            page.get_by_role("textbox", name="核实说明（例如“已电话核实”）").fill("十二月新增，已核实")
            page.get_by_role("button", name="已核实，确认保存").click()
            wait_for_app(page)
        expect(page.get_by_test_id("stToast")).to_contain_text("已保存")
        after = count_rows(store, total)
        assert after == before + 7
        assert_healthy(page)
        assert english_on_screen(page) == []
        page.get_by_test_id("stTopNav").get_by_text("其他工作", exact=True).click()
        wait_for_app(page)
        expect(page.get_by_role("link", name="录入其他工作数据")).to_be_visible()  # the way back for who enters
        table = page.get_by_test_id("stDataFrame").first
        expect(table).to_contain_text(name)
        expect(table).to_contain_text(text.count(after))
        assert_healthy(page)
        page.close()


def test_a_meeting_runs_from_the_keyboard_and_no_slide_scrolls(browser, demo_template, tmp_path):
    """A frozen pack on a 1024×768 and a 1920×1080 projector: no navigation or filter row, every slide fits the
    window, PageDown / PageUp (a clicker), Home, a number key and Esc drive it."""
    from data_layer import access
    from data_layer.queries import meeting

    store = tmp_path / "meeting.sqlite3"
    shutil.copy(demo_template, store)
    url = sqlite_url(store)
    pack_id = freeze_h1_pack(url)
    titles = [s["title"] for s in meeting.pack(url, pack_id, access.VISITOR)["figures"]["slides"]]
    with running_app(url, tmp_path / "server.log") as base:
        for size in ((1024, 768), (1920, 1080)):
            page = open_page(browser, f"{base}/meeting?year=2023&period=h1&pack={pack_id}&slide=1", size)
            expect(page.get_by_test_id("stTopNav")).to_be_hidden()
            for number, title in enumerate(titles, start=1):
                expect(page.locator(".m-title")).to_have_text(title)
                expect(page.locator(".m-meta")).to_contain_text(f"{number} / {len(titles)}")
                height = page.evaluate("() => document.scrollingElement.scrollHeight - window.innerHeight")
                assert height <= 0, f"{title} at {size}: scrolls by {height} px"
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"meeting_{number}_{size[0]}x{size[1]}.png"))
                page.keyboard.press("PageDown")
            expect(page.locator(".m-title")).to_have_text(titles[-1])  # the last slide stays
            page.keyboard.press("PageUp")
            expect(page.locator(".m-title")).to_have_text(titles[-2])
            page.keyboard.press("Home")
            expect(page.locator(".m-title")).to_have_text(titles[0])
            page.keyboard.press("3")
            expect(page.locator(".m-title")).to_have_text(titles[2])
            assert_healthy(page)
            assert english_on_screen(page) == []
            page.keyboard.press("Escape")
            expect(page.get_by_text("已冻结的会议数据")).to_be_visible()
            expect(page.get_by_test_id("stTopNav")).to_be_visible()
            page.close()


def freeze_h1_pack(url: str) -> int:
    from datetime import date

    from data_layer import access
    from data_layer.domain.scope import FilterSpec, make_scope, to_params
    from data_layer.queries import org
    from data_layer.services.meetings import freeze_pack
    from data_layer.views.meeting import slides
    from tests.conftest import person

    spec = FilterSpec(2023, "h1")
    scope = make_scope(spec)
    staff = person("科员", "staff")
    return freeze_pack(
        db_url=url,
        actor=staff,
        name="上半年工作调度会",
        filter_label="2023年上半年 · 全县",
        filter_params=to_params(spec),
        period_start=scope.start,
        period_end=scope.end,
        figures=slides(access.view(url, staff, spec, date(2026, 11, 29))),
        data_as_of=org.last_write(url),
    )


def only_title(page, title: str) -> None:
    """Waits until the one slide title the hall can see is ``title`` (a faded one of the run before gone)."""
    page.wait_for_function(
        """(title) => {
            const shown = [...document.querySelectorAll('.m-title')].filter((e) => e.checkVisibility());
            return shown.length === 1 && shown[0].textContent === title;
        }""",
        arg=title,
        timeout=15_000,
    )


def test_a_frozen_pack_stays_as_frozen_advances_by_itself_and_survives_a_store_it_cannot_read(
    browser, demo_template, tmp_path
):
    """On a 1024×768 projector: the hall screen advances by itself; an article entered during the meeting changes
    no figure of the pack but shows the badge; with the store moved away the slides go on from the session's
    copy under a banner (no error, no scroll), and pick the store up again when it is back."""
    from datetime import date

    from data_layer.services import publicity
    from tests.conftest import person, rows

    store = tmp_path / "meeting.sqlite3"
    shutil.copy(demo_template, store)
    url = sqlite_url(store)
    pack_id = freeze_h1_pack(url)
    with running_app(url, tmp_path / "server.log") as base:
        page = open_page(browser, f"{base}/meeting?year=2023&period=h1&pack={pack_id}&slide=1&auto=2", (1024, 768))
        expect(page.locator(".m-meta")).to_contain_text("1 / 6")
        expect(page.locator(".m-meta")).to_contain_text("2 / 6", timeout=15_000)  # by itself, every 2 seconds
        expect(page.locator(".m-meta")).to_contain_text("3 / 6", timeout=15_000)
        page.close()

        page = open_page(browser, f"{base}/meeting?year=2023&period=h1&pack={pack_id}&slide=5", (1024, 768))
        expect(page.locator(".m-title")).to_have_text("信息宣传")
        shown = page.locator(".m-figure").first.inner_text()
        expect(page.locator(".m-badge")).to_have_count(0)
        services_for(publicity.ARTICLE).create(
            db_url=url,
            actor=person("科员", "staff"),
            values=dict(
                county_id=rows(url, "SELECT id FROM county ORDER BY id")[0]["id"],
                outlet_id=rows(url, "SELECT id FROM outlet ORDER BY id")[0]["id"],
                title="会议期间补录的一篇稿件",
                published_on=date(2023, 6, 20),
            ),
        )
        page.keyboard.press("PageDown")
        expect(page.locator(".m-title")).to_have_text("需要关注")
        page.keyboard.press("PageUp")
        expect(page.locator(".m-title")).to_have_text("信息宣传")
        expect(page.locator(".m-badge")).to_have_text("冻结后有 1 条记录变动")
        assert page.locator(".m-figure").first.inner_text() == shown  # the pack, not live data

        moved = store.with_suffix(".away")
        store.rename(moved)  # the store is gone from under the meeting
        try:
            page.keyboard.press("PageDown")
            # From this session's copy the slide is drawn at another place in the page, so while the run lasts the
            # previous slide stays beside it (faded); what counts is that it ends as the one slide, the next.
            only_title(page, "需要关注")
            expect(page.locator(".m-offline")).to_contain_text("暂时读不到数据库")
            expect(page.get_by_test_id("stException")).to_have_count(0)
            expect(page.get_by_test_id("stAlert")).to_have_count(0)
            assert page.evaluate("() => document.scrollingElement.scrollHeight - window.innerHeight") <= 0
            page.keyboard.press("Home")
            only_title(page, "工作总览")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "meeting_store_unreadable_1024x768.png"))
        finally:
            moved.rename(store)
        page.keyboard.press("2")
        only_title(page, "三项重点工程")
        expect(page.locator(".m-offline")).to_have_count(0)
        assert_healthy(page)
        page.close()


def test_every_board_views_excel_download_and_the_deck_open_with_the_figures_of_the_store(
    browser, demo_template, tmp_path
):
    """Each board view's “下载 Excel”, clicked in the browser, gives the workbook its tables build from the store
    (every cell of every sheet, named after the view, filter and day); the meeting list's “下载演示文稿” gives a
    deck whose native charts hold the pack's figures."""
    import io
    from datetime import UTC, datetime

    import openpyxl
    from pptx import Presentation

    from data_layer import access, views
    from data_layer.domain import text
    from data_layer.domain.scope import FilterSpec, make_scope
    from data_layer.queries import meeting
    from pages.common.context import ViewContext
    from pages.common.downloads import excel_bytes, file_name
    from tests.conftest import person

    store = tmp_path / "downloads.sqlite3"
    shutil.copy(demo_template, store)
    url = sqlite_url(store)
    spec = FilterSpec(2023, "h1")
    today = text.local(datetime.now(UTC)).date()
    ctx = ViewContext(url, spec, make_scope(spec), today, ("沂源县",), (), False)
    admin = access.view(url, person("管理员"), spec, today)  # the download is an administrator's
    boards = {
        "overview": ("总览", lambda: views.overview.build(admin), ""),
        "projects": ("重点工程", lambda: views.projects.build(admin), ""),
        "subsidies": ("补贴发放", lambda: views.subsidies.build(admin, every_record=True), ""),
        "levy": ("残保金征收", lambda: views.levy.build(admin, everything=True), ""),
        "publicity": ("信息宣传", lambda: views.publicity.build(admin), ""),
        "other_work": ("其他工作", lambda: views.other_work.build(admin), ""),
        "quality": ("数据质量", lambda: views.quality.build(admin), "unfiltered"),
        "sources": ("数据来源", lambda: views.sources.build(admin), "unfiltered"),
    }

    def cells(data: bytes) -> dict[str, list[tuple]]:
        book = openpyxl.load_workbook(io.BytesIO(data))
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}

    pack_id = freeze_h1_pack(url)
    with running_app(url, tmp_path / "server.log") as base:
        page = open_page(browser, f"{base}/quality?year=2023&period=h1", (1024, 768))
        sign_in_as(page, "admin")  # 数据质量 and 数据来源 are for accounts
        for path, (view, build, unfiltered) in boards.items():
            page.goto(f"{base}/{path}?year=2023&period=h1")
            button = page.get_by_role("button", name="下载 Excel")
            expect(button, f"{path}: no Excel button").to_be_visible(timeout=60_000)
            with page.expect_download(timeout=60_000) as download:
                button.click()
            got = download.value
            assert got.suggested_filename == file_name(ctx, view, "xlsx", filtered=not unfiltered)
            saved = tmp_path / got.suggested_filename
            got.save_as(saved)
            got_cells, want_cells = cells(saved.read_bytes()), cells(excel_bytes(build()))
            # the as-of line (row 4) is the store's last write: the sign-in just before may commit in between
            for name, sheet in got_cells.items():
                assert str(sheet[3][0]).startswith("数据最后更新"), path
                sheet[3] = want_cells[name][3]
            assert got_cells == want_cells, path
        page.goto(f"{base}/meeting?year=2023&period=h1")
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="下载演示文稿").first.click(timeout=60_000)
        deck = tmp_path / "deck.pptx"
        download.value.save_as(deck)
        assert_healthy(page)
        page.close()
    pack = meeting.pack(url, pack_id, access.VISITOR)
    plots = [shape.chart.plots[0] for slide in Presentation(deck).slides for shape in slide.shapes if shape.has_chart]
    want = [s["chart"] for s in pack["figures"]["slides"] if s["chart"]["categories"]]
    assert len(plots) == len(want)
    for plot, chart in zip(plots, want, strict=True):
        assert list(plot.categories) == chart["categories"]
        assert [list(series.values) for series in plot.series] == [series["numbers"] for series in chart["series"]]


def test_two_app_processes_on_one_store_show_the_same_figures_after_a_write_in_either(browser, demo_template, tmp_path):
    """Two ``streamlit run`` processes serve one store (as behind a proxy for a city): an article saved through
    the first shows on the second's board on its next run — each cached read is keyed by the store's data
    version, not only cleared in the process that wrote."""
    store = tmp_path / "shared.sqlite3"
    shutil.copy(demo_template, store)
    url = sqlite_url(store)
    with running_app(url, tmp_path / "first.log") as first, running_app(url, tmp_path / "second.log") as second:
        board = f"{second}/publicity?year=2023"
        page = open_page(browser, board)
        card = page.locator(".big-number").nth(1)
        expect(card).to_contain_text("国家级")
        before = int(card.locator(".value").inner_text().replace("篇", "").strip())
        page.close()

        page = open_page(browser, f"{first}/entry_publicity?year=2023")
        sign_in_as(page, "keshi")
        box = page.get_by_role("textbox", name="稿件标题")
        box.fill("两个进程共用一个数据库的测试稿件")
        box.press("Enter")
        wait_for_app(page)
        expect(page.get_by_test_id("stToast")).to_contain_text("已保存")
        page.close()

        page = open_page(browser, board)  # the second process, which did not write
        card = page.locator(".big-number").nth(1)
        expect(card.locator(".value")).to_have_text(re.compile(rf"^{before + 1}\s*篇$"))
        assert_healthy(page)
        page.close()


def test_four_browsers_saving_at_once_through_two_app_processes_each_store_once(browser, demo_template, tmp_path):
    """Four staff in four browsers (two on each of two app processes on one store) each type an article and press
    Enter at the same moment, three rounds: every article is stored once, every page says 已保存, none shows an
    error or “数据库忙”."""
    store = tmp_path / "busy.sqlite3"
    shutil.copy(demo_template, store)
    url = sqlite_url(store)
    tag = "四人同时录入测试"
    with running_app(url, tmp_path / "first.log") as first, running_app(url, tmp_path / "second.log") as second:
        pages = []
        for base in (first, first, second, second):
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")  # own session
            page = context.new_page()
            lan_only(page)
            page.goto(f"{base}/entry_publicity?year=2023")
            wait_for_app(page)
            sign_in_as(page, "keshi")
            pages.append(page)
        for round_ in range(3):
            boxes = [page.get_by_role("textbox", name="稿件标题") for page in pages]
            for k, box in enumerate(boxes):
                box.fill(f"{tag}：第{round_ + 1}轮 录入员{k + 1}")
            for box in boxes:  # as close together as one driver can press
                box.press("Enter")
            for page in pages:
                wait_for_app(page)
                assert_healthy(page)
                assert "数据库忙" not in page.locator("[data-testid='stMain']").inner_text()
            # every save of the round stored once (its toast lasts four seconds: under load it may be gone
            # before the fourth page is looked at, so the store is asked instead)
            saved = f"SELECT COUNT(*) FROM article WHERE title LIKE '{tag}：第{round_ + 1}轮%'"
            for _ in range(60):
                if count_rows(store, saved) == len(pages):
                    break
                pages[0].wait_for_timeout(500)
            assert count_rows(store, saved) == len(pages)
        for page in pages:
            page.context.close()
    stored = count_rows(store, f"SELECT COUNT(DISTINCT title) FROM article WHERE title LIKE '{tag}%'")
    assert stored == 12 == count_rows(store, f"SELECT COUNT(*) FROM article WHERE title LIKE '{tag}%'")


def import_and_check(page, store: Path, table: str, files: dict[str, Path], label: str, shots: str) -> None:
    """One import page's whole round: a file with a bad row (refused, the row named, nothing written), a good
    file committed, the same file again (nothing to write). ``files``: bad, good; ``label``: the commit button."""
    page.get_by_role("tab", name="批量导入").click()
    wait_for_app(page)
    before = count_rows(store, f"SELECT COUNT(*) FROM {table}")
    page.locator("input[type=file]").set_input_files(str(files["bad"]))
    wait_for_app(page)
    expect(page.get_by_text("有 1 行有问题，整个文件不能导入")).to_be_visible()
    expect(page.get_by_text(files["problem"]).first).to_be_attached()  # a grid cell: the row's problem in words
    expect(page.get_by_role("button", name=re.compile("^确认导入"))).to_have_count(0)
    formats = re.compile(r"Excel|CSV|UTF-8|GBK|MB|xlsx|csv|KB")  # file formats and sizes, as Chinese Excel names them
    for size in ((1920, 1080), (1024, 768)):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        wait_for_app(page)
        assert [w for w in english_on_screen(page) if not formats.search(w)] == []
        page.get_by_text(re.compile("^有问题的行（")).scroll_into_view_if_needed()  # the main area scrolls
        page.screenshot(path=str(SHOTS / f"{shots}_dry_run_{size[0]}x{size[1]}.png"))
    assert count_rows(store, f"SELECT COUNT(*) FROM {table}") == before
    page.locator("input[type=file]").set_input_files(str(files["good"]))
    wait_for_app(page)
    page.get_by_text(re.compile("^将新增（")).scroll_into_view_if_needed()
    assert [w for w in english_on_screen(page) if not formats.search(w)] == []
    page.screenshot(path=str(SHOTS / f"{shots}_good_1024x768.png"))
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.get_by_role("button", name=label).click()
    wait_for_app(page)
    if "note" in files:  # rows to confirm: Action's one confirm step, with a note
        page.get_by_role("textbox", name="核实说明（例如“已电话核实”）").fill(files["note"])
        page.get_by_role("button", name="已核实，确认保存").click()
        wait_for_app(page)
    expect(page.get_by_text(re.compile(f"已导入“{files['good'].name}”：新增 2"))).to_be_visible()
    assert count_rows(store, f"SELECT COUNT(*) FROM {table}") == before + 2
    page.locator("input[type=file]").set_input_files(str(files["good"]))  # the same file again
    wait_for_app(page)
    expect(page.get_by_text("不需要导入")).to_be_visible()
    values = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert values[:3] == [f"0 {files['unit']}", f"0 {files['unit']}", f"2 {files['unit']}"], values
    assert count_rows(store, f"SELECT COUNT(*) FROM {table}") == before + 2
    assert_healthy(page)


def bomb_workbook(path: Path, sheet_rows) -> None:
    """An .xlsx whose sheet is written as it streams into the zip: small on disk, huge or endless once read."""
    import zipfile

    from openpyxl import Workbook

    Workbook().save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            sheet.write(b"<sheetData>")
            for chunk in sheet_rows:
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")


def test_file_bombs_are_refused_within_seconds_while_another_user_s_page_answers(browser, app, tmp_path):
    """A header over 400,000 rows of nothing (12 MB once unpacked) and one cell of 150 MB (under 1 MB on disk):
    each refused in Chinese within 10 s of the upload, and a colleague's board loads meanwhile."""
    import time

    rows = tmp_path / "空行.xlsx"
    from openpyxl.utils import get_column_letter

    from data_layer.documents.employer_sheet import HEADERS

    cells = "".join(
        f'<c r="{get_column_letter(n)}1" t="inlineStr"><is><t>{h}</t></is></c>' for n, h in enumerate(HEADERS, 1)
    )
    header = f'<row r="1">{cells}</row>'.encode()
    bomb_workbook(rows, [header, *(f'<row r="{i}"><c r="A{i}"/></row>'.encode() for i in range(2, 400_001))])
    cell = tmp_path / "一格.xlsx"
    one_mb = b"A" * 1024 * 1024
    bomb_workbook(cell, [b'<row r="1"><c r="A1" t="inlineStr"><is><t>', *([one_mb] * 150), b"</t></is></c></row>"])
    assert cell.stat().st_size < 1024 * 1024
    page = open_page(browser, f"{app}/signin?next=/levy_registry", (1920, 1080))
    sign_in_as(page, "keshi")
    page.get_by_role("tab", name="批量导入").click()
    wait_for_app(page)
    other = open_page(browser, f"{app}/signin?next=/overview", (1920, 1080))
    for bomb, words in ((rows, "空行也算在内"), (cell, "解压后有 150 MB")):
        started = time.monotonic()
        page.locator("input[type=file]").set_input_files(str(bomb))
        other.goto(f"{app}/overview?year=2023&period=h1")  # a colleague meanwhile
        wait_for_app(other)
        expect(other.locator(".big-number .value").first).to_be_visible()
        expect(page.get_by_text(re.compile(words)).first).to_be_visible(timeout=10_000)
        assert time.monotonic() - started < 10, bomb.name
    page.close()
    other.close()


def test_both_import_pages_refuse_a_bad_row_commit_a_good_file_and_find_it_unchanged_again(
    browser, demo_template, tmp_path
):
    """用人单位名录 (an .xlsx under a title row) and 信息报送台账 (a GBK CSV with a repeated title to confirm) through
    the one import component."""
    import sqlite3

    from data_layer.domain import credit_code

    store = tmp_path / "imports.sqlite3"
    shutil.copy(demo_template, store)
    with sqlite3.connect(store) as conn:
        outlet = conn.execute("SELECT name FROM outlet ORDER BY id LIMIT 1").fetchone()[0]
    codes = []
    for body in (f"MA7TEW{n:02d}" for n in range(10, 40)):  # codes no demo employer has (a check X is skipped)
        with contextlib.suppress(ValueError):
            codes.append(credit_code.make("91", "370323", body))
    employers = {"bad": tmp_path / "坏名单.xlsx", "good": tmp_path / "名单.xlsx", "unit": "家"}
    employers["problem"] = "残疾职工人数不能多于职工人数"
    employer_workbook(employers["bad"], [["沂源导入甲公司", codes[0], "鲁村镇", 10, 12, 46000, "小型", "否", None]])
    employer_workbook(
        employers["good"],
        [
            ["沂源导入甲公司", codes[0], "鲁村镇", 20, 1, 46000, "小型", "否", "2025-03-01"],
            ["沂源导入乙公司", codes[1], "东里镇", 5, 0, 0, "微型", "否", "2025-03-01"],
        ],
    )
    header = "发表日期,发表媒体,稿件标题,乡镇（街道）,类型,链接"
    ledgers = {"bad": tmp_path / "坏台账.csv", "good": tmp_path / "台账.csv", "unit": "篇", "note": "两家栏目分别采用"}
    ledgers["problem"] = "发表媒体“某某晚报”未登记（已登记的媒体见模板的填写说明）"
    ledgers["bad"].write_bytes(f"{header}\r\n2025-03-01,某某晚报,一篇,,,\r\n".encode("gbk"))
    good = [f"2025-03-01,{outlet},导入测试稿件,鲁村镇,信息,", f"2025-03-02,{outlet},导入测试稿件,,新闻,"]
    ledgers["good"].write_bytes("\r\n".join([header, *good, ""]).encode("gbk"))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with running_app(sqlite_url(store), tmp_path / "server.log") as base:
        page = open_page(browser, f"{base}/levy_registry?year=2023")
        sign_in_as(page, "keshi")
        import_and_check(page, store, "employer", employers, "确认导入：新增 2 家，更新 0 家", "levy_registry_import")
        page.goto(f"{base}/publicity_ledger?year=2023")
        wait_for_app(page)
        import_and_check(page, store, "article", ledgers, "确认导入：新增 2 篇，更新 0 篇", "publicity_ledger_import")
        page.close()
