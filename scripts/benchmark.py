"""Benchmark the overview's queries on a county store and a city store, as ratios (not a test).

    python scripts/benchmark.py [--runs 7] [--keep DIR]

Seeds two temporary SQLite stores (county: 13 townships; city: 8 counties, about 100 townships;
the city seed takes a few minutes), then times each query uncached (median of ``--runs``) and
prints the city ÷ county ratio beside the ratio of their rows. A query whose time ratio is far
above the data ratio does not scale and is worth an index or a rewrite.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from data_layer import checks, migrate, store  # noqa: E402
from data_layer.db import dispose_engines  # noqa: E402
from data_layer.queries import levy, projects, publicity, subsidies  # noqa: E402
from data_layer.scope import FilterSpec, make_scope  # noqa: E402

TODAY = date(2026, 11, 28)
logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)  # no server here: expected
QUERIES = {
    "重点工程 item_progress": lambda url, s: projects.item_progress(url, s),
    "重点工程 project_summary": lambda url, s: projects.project_summary(url, s, TODAY),
    "重点工程 completion_matrix": lambda url, s: projects.completion_matrix(url, s, TODAY),
    "补贴 totals_by_type": lambda url, s: subsidies.totals_by_type(url, s),
    "补贴 totals_by_township": lambda url, s: subsidies.totals_by_township(url, s),
    "补贴 by_month": lambda url, s: subsidies.by_month(url, s),
    "残保金 summary": lambda url, s: levy.summary(url, s),
    "残保金 by_township": lambda url, s: levy.by_township(url, s),
    "宣传 by_level": lambda url, s: publicity.by_level(url, s, TODAY),
    "宣传 by_township": lambda url, s: publicity.by_township(url, s, TODAY),
    "数据质量 findings": lambda url, s: checks.findings(url),
}


def seeded(folder: Path, scale: str) -> str:
    url = f"sqlite:///{folder / f'{scale}.sqlite3'}"
    migrate.upgrade(url)
    started = time.perf_counter()
    store.seed(url, demo=True, scale=scale)
    print(f"seeded {scale} in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def rows_in(url: str) -> int:
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        tables = ("progressentry", "disbursement", "employer", "inspection", "annualreview", "article")
        return sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)


def timed(fn, url: str, scope, runs: int) -> float:
    times = []
    for _ in range(runs):
        st.cache_data.clear()  # uncached: what the first viewer after a write waits for
        started = time.perf_counter()
        fn(url, scope)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", help="keep the stores in this folder (reused on the next run)")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    urls = {}
    for scale in ("county", "city"):
        path = folder / f"{scale}.sqlite3"
        urls[scale] = f"sqlite:///{path}" if path.exists() else seeded(folder, scale)
    scope = make_scope(FilterSpec(2023, "h1"))
    data_ratio = rows_in(urls["city"]) / rows_in(urls["county"])
    print(f"\nrows: county {rows_in(urls['county']):,}, city {rows_in(urls['city']):,}, ratio {data_ratio:.1f}×\n")
    print(f"{'query':<30}{'county ms':>12}{'city ms':>12}{'ratio':>9}")
    for name, fn in QUERIES.items():
        county = timed(fn, urls["county"], scope, args.runs)
        city = timed(fn, urls["city"], scope, args.runs)
        print(f"{name:<30}{county * 1000:>12.1f}{city * 1000:>12.1f}{city / county:>8.1f}×")
    dispose_engines()


if __name__ == "__main__":
    main()
