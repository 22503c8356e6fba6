"""How the dashboard scales from a county to a province, as ratios measured in one run (not a test).

    python scripts/benchmark.py [--keep DIR] [--postgres] [--runs 5] [--skip-browser] [--skip-load]

1. Seeds a county store and a province store (140 counties, about 1,800 townships) on SQLite, timing the seeds
   (``--keep DIR`` keeps them for the next run); with ``--postgres``, the province on a throwaway PostgreSQL
   server too (Debian's postgresql package).
2. Times every board query uncached (median of ``--runs``) on each store: province ÷ county, and each query
   against the naive way — reading its rows into pandas and grouping there — for the queries that have one.
3. Starts the app on each store and times, in headless Chromium, each board view from the click in the
   navigation until the page has finished drawing: the first visit (queries not yet cached) and the visits after
   it (cached), against the same click between two pages of an empty Streamlit app.
4. Runs 8 writers × 200 entries at once through the services (scripts/write_load.py): back to back (a stress
   test), and with a person's pace (each writer saves about once a second): p50 / p95 per write.

Prints a Markdown report (the README's speed section is a copy of the last one).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
logging.disable(logging.WARNING)  # no Streamlit server in this process: its cache warns on every call

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from data_layer import checks  # noqa: E402
from data_layer.domain import text  # noqa: E402
from data_layer.domain.scope import FilterSpec, make_scope  # noqa: E402
from data_layer.infra import migrate, store  # noqa: E402
from data_layer.infra.db import dispose_engines, get_engine  # noqa: E402
from data_layer.queries import counties, indicators, levy, projects, publicity, subsidies  # noqa: E402

TODAY = date(2026, 11, 28)
QUERIES: dict[str, Callable] = {
    "重点工程 item_progress": lambda url, s: projects.item_progress(url, s),
    "重点工程 project_summary": lambda url, s: projects.project_summary(url, s, TODAY),
    "重点工程 completion_matrix": lambda url, s: projects.completion_matrix(url, s, TODAY),
    "补贴 totals_by_type": lambda url, s: subsidies.totals_by_type(url, s),
    "补贴 totals_by_township": lambda url, s: subsidies.totals_by_township(url, s),
    "补贴 by_month": lambda url, s: subsidies.by_month(url, s),
    "残保金 summary": lambda url, s: levy.summary(url, s),
    "残保金 by_township": lambda url, s: levy.by_township(url, s),
    "残保金 by_county": lambda url, s: levy.by_county(url, s),
    "宣传 by_level": lambda url, s: publicity.by_level(url, s, TODAY),
    "宣传 by_township": lambda url, s: publicity.by_township(url, s, TODAY),
    "其他工作 totals": lambda url, s: indicators.totals(url, s),
    "各县对比 by_county": lambda url, s: counties.by_county(url, s),
    "数据质量 findings": lambda url, s: checks.findings(url),
}


def _read(url: str, sql: str) -> pd.DataFrame:
    with get_engine(url).connect() as conn:
        return pd.read_sql(sql, conn)


def _in_period(df: pd.DataFrame, column: str, s) -> pd.DataFrame:
    days = pd.to_datetime(df[column]).dt.date
    return df[(days >= s.start) & (days <= s.end)]


# The naive way of the same figures: every row into pandas, filtered and grouped there.
NAIVE: dict[str, Callable] = {
    "补贴 totals_by_type": lambda url, s: (
        _in_period(_read(url, "SELECT * FROM disbursement"), "paid_date", s)
        .groupby("type_id")[["amount_fen", "recipients"]]
        .sum()
    ),
    "补贴 totals_by_township": lambda url, s: (
        _in_period(_read(url, "SELECT * FROM disbursement"), "paid_date", s).groupby("township_id")["amount_fen"].sum()
    ),
    "宣传 by_level": lambda url, s: (
        _in_period(_read(url, "SELECT * FROM article"), "published_on", s)
        .merge(_read(url, "SELECT * FROM outlet"), left_on="outlet_id", right_on="id")
        .groupby("level")
        .size()
    ),
    "重点工程 item_progress": lambda url, s: (
        _in_period(_read(url, "SELECT * FROM progressentry"), "entry_date", s)
        .groupby("item_id")[["quantity", "amount_fen"]]
        .sum()
    ),
    "残保金 by_county": lambda url, s: (
        _read(url, "SELECT * FROM annualreview")
        .query(f"year == {s.end.year}")
        .merge(_read(url, "SELECT * FROM employer"), left_on="employer_id", right_on="id")
        .groupby(["county_id", "status"])
        .size()
    ),
}


def uncached(fn: Callable, url: str, scope, runs: int) -> float:
    times = []
    for _ in range(runs):
        st.cache_data.clear()  # what the first viewer after a write waits for
        started = time.perf_counter()
        fn(url, scope)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def seeded_sqlite(folder: Path, scale: str) -> tuple[str, float | None]:
    path = folder / f"{scale}.sqlite3"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    if path.exists() and not store.is_empty(url):
        return url, None
    started = time.perf_counter()
    store.seed(url, demo=True, scale=scale)
    return url, time.perf_counter() - started


def seeded_postgres(server) -> tuple[str, float]:
    url = server.create("benchmark_province")
    migrate.upgrade(url)
    started = time.perf_counter()
    store.seed(url, demo=True, scale="province")
    took = time.perf_counter() - started
    with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")  # what autovacuum would do soon after a load this size
    return url, took


def rows_in(url: str) -> int:
    tables = ("progressentry", "disbursement", "employer", "annualreview", "rosterperson", "inspection", "article")
    return sum(int(_read(url, f"SELECT COUNT(*) AS n FROM {t}")["n"][0]) for t in tables)


def home_county_id(url: str) -> int:
    return int(_read(url, "SELECT id FROM county WHERE name = '沂源县'")["id"][0])


def query_table(urls: dict[str, str], runs: int) -> list[str]:
    """Each query on each store for the whole store (a province user's view of all 140 counties), and on the
    province store for one county (what a county's staff see once the province shares one store)."""
    whole = make_scope(FilterSpec(2023, "h1"))
    one = make_scope(FilterSpec(2023, "h1"), county_ids=[home_county_id(urls["省 SQLite"])])
    names = list(urls)
    head = "| 查询 | " + " | ".join(f"{n} 全部 ms" for n in names)
    head += " | 省 SQLite 一个县 ms | 省全部 ÷ 县 | 省中一个县 ÷ 县 | 朴素做法 ÷ 查询（省全部） |"
    lines = [head, "|" + "---|" * (len(names) + 5)]
    for name, fn in QUERIES.items():
        times = {n: uncached(fn, u, whole, runs) for n, u in urls.items()}
        county_in_province = uncached(fn, urls["省 SQLite"], one, runs)
        naive = ""
        if name in NAIVE:
            naive_time = uncached(NAIVE[name], urls["省 SQLite"], whole, max(1, runs // 2))
            naive = f"{naive_time / times['省 SQLite']:.0f}×"
        cells = " | ".join(f"{times[n] * 1000:.0f}" for n in names)
        ratios = f"{times['省 SQLite'] / times['县 SQLite']:.1f}× | {county_in_province / times['县 SQLite']:.1f}×"
        lines.append(f"| {name} | {cells} | {county_in_province * 1000:.0f} | {ratios} | {naive} |")
        print(lines[-1], flush=True)
    return lines


# --- the browser ------------------------------------------------------------------------------------------
BOARDS = {  # the link's words → the page's heading
    "总览": "残联工作总览",  # 县残联 on a county's store, 省残联 on a province's
    "重点工程": "三项重点工程",
    "补贴发放": "社会保障补贴发放",
    "残保金征收": "残保金征收",
    "信息宣传": "信息宣传",
    "其他工作": "其他工作",
}
# Drawn: the new page's heading is on screen (the new run has started), the run is over and nothing is loading.
DRAWN = """(heading) => {
  const app = document.querySelector("[data-testid='stApp']");
  const shown = [...document.querySelectorAll('h1')].some(h => h.innerText.includes(heading));
  return shown && app && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelectorAll("[data-testid='stSkeleton']").length === 0;
}"""
NAV_LINK = "[data-testid='stTopNavLink']"  # the app's navigation runs along the top
PAGE_LINK = "[data-testid='stPageLink-NavLink']"


def click_to_drawn(page, name: str, heading: str, links: str = NAV_LINK) -> float:
    """From the click on a navigation link until the page it opens has finished drawing."""
    link = page.locator(links, has_text=name).first
    started = time.perf_counter()
    link.click(timeout=180_000)  # the page before may still be drawing: the click waits for it
    page.wait_for_function(DRAWN, arg=heading, timeout=180_000, polling=5)
    return time.perf_counter() - started


def view_times(base: str, views: dict[str, str], rounds: int, links: str = NAV_LINK) -> dict[str, tuple[float, float]]:
    """(first visit, median of the later visits) per view (link words → heading), clicking round them."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import launch, wait_for_app

    found: dict[str, list[float]] = {n: [] for n in views}
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        page.goto(base)
        wait_for_app(page)
        for _ in range(rounds + 1):
            for name, heading in views.items():
                found[name].append(click_to_drawn(page, name, heading, links))
        browser.close()
    return {n: (t[0], statistics.median(t[1:])) for n, t in found.items()}


EMPTY_APP = """
import streamlit as st
def one():
    st.title("第一页")
    st.page_link(pages[1], label="第二页")
def two():
    st.title("第二页")
    st.page_link(pages[0], label="第一页")
pages = [st.Page(one, title="第一页", url_path="one"), st.Page(two, title="第二页", url_path="two")]
st.navigation(pages, position="hidden").run()
"""


def empty_page_time(folder: Path, rounds: int) -> float:
    """The same click between two pages of an empty Streamlit app: what no query can beat."""
    import os
    import subprocess
    import urllib.request

    from tests.browser_support import free_port

    script = folder / "empty_app.py"
    script.write_text(EMPTY_APP, encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true"]
    command += [f"--server.port={port}", "--browser.gatherUsageStats=false", "--server.fileWatcherType=none"]
    proc = subprocess.Popen(command, env=os.environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if urllib.request.urlopen(base + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        views = {"第二页": "第二页", "第一页": "第一页"}
        times = view_times(base, views, rounds, PAGE_LINK)  # the first page is the root
        return statistics.median([later for _, later in times.values()])
    finally:
        proc.terminate()
        proc.wait(10)


def browser_table(urls: dict[str, str], folder: Path, rounds: int) -> list[str]:
    """Each board from the click to the page drawn, on every store (the province on PostgreSQL too)."""
    from tests.browser_support import running_app

    empty = empty_page_time(folder, rounds)
    measured = {}
    for name, url in urls.items():
        with running_app(url, folder / f"app-{len(measured)}.log", timeout=300) as base:
            measured[name] = view_times(base + "/overview", BOARDS, rounds)
    provinces = [n for n in measured if n.startswith("省")]
    head = "| 页面 | " + " | ".join(f"{n} 首次 ms | {n} 缓存后 ms" for n in measured)
    head += " | " + " | ".join(f"{n} ÷ 县（首次） | {n}缓存后 ÷ 空白页" for n in provinces) + " |"
    lines = [f"空白 Streamlit 页面（两页之间点击）：{empty * 1000:.0f} ms", "", head]
    lines.append("|" + "---|" * (1 + 2 * len(measured) + 2 * len(provinces)))
    for view in BOARDS:
        county_first = measured["县 SQLite"][view][0]
        cells = " | ".join(
            f"{first * 1000:.0f} | {later * 1000:.0f}" for first, later in (m[view] for m in measured.values())
        )
        ratios = " | ".join(
            f"{measured[n][view][0] / county_first:.1f}× | {measured[n][view][1] / empty:.1f}×" for n in provinces
        )
        lines.append(f"| {view} | {cells} | {ratios} |")
        print(lines[-1], flush=True)
    return lines


def load_lines(urls: dict[str, str], folder: Path) -> list[str]:
    from scripts import write_load

    lines = []
    for name, url in urls.items():
        if name.startswith("县"):
            continue
        for n, (label, pause) in enumerate((("连续保存（压力）", 0.0), ("每人约每秒保存一次", 1.0))):
            target = url
            if url.startswith("sqlite"):  # a fresh copy each run: the store stays as seeded, no title repeats
                copy = folder / f"load-{n}.sqlite3"
                shutil.copyfile(url.removeprefix("sqlite:///"), copy)
                target = f"sqlite:///{copy}"
            result = write_load.run(target, writers=8, per_writer=200, pause=pause, run_id=f"（第{n + 1}轮）")
            lines.append(f"- {name}，{label}：{result.summary()}")
            print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="keep the SQLite stores in this folder (reused on the next run)")
    parser.add_argument("--postgres", action="store_true", help="the province on a throwaway PostgreSQL too")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    report = [f"# 基准测试 {text.iso_day(date.today())}", ""]
    urls: dict[str, str] = {}
    for name, scale in (("县 SQLite", "county"), ("省 SQLite", "province")):
        urls[name], took = seeded_sqlite(folder, scale)
        if took is not None:
            report.append(f"- 生成演示数据（{name}）：{took:.0f} 秒")
            print(report[-1], flush=True)
    server = None
    if args.postgres:
        from tests import postgres_support

        server = postgres_support.Server(postgres_support.binaries())
        urls["省 PostgreSQL"], took = seeded_postgres(server)
        report.append(f"- 生成演示数据（省 PostgreSQL）：{took:.0f} 秒")
    try:
        sizes = {n: rows_in(u) for n, u in urls.items()}
        report.append("- 记录行数：" + "，".join(f"{n} {v:,}" for n, v in sizes.items()))
        report.append(f"- 数据量之比（省 ÷ 县）：{sizes['省 SQLite'] / sizes['县 SQLite']:.0f}×")
        if not args.skip_queries:
            report += ["", "## 查询（未缓存，中位数）", ""] + query_table(urls, args.runs)
        if not args.skip_browser:
            report += ["", "## 浏览器：从点击导航到页面画完", ""] + browser_table(urls, folder, 3)
        if not args.skip_load:
            report += ["", "## 并发录入：8 个写入进程 × 200 条", ""] + load_lines(urls, folder)
    finally:
        dispose_engines()
        if server is not None:
            server.stop()
    print("\n".join(report))
    (folder / "benchmark.md").write_text("\n".join(report) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
