"""Concurrent writers through the entry services, as staff in several offices saving forms at once.

    python scripts/write_load.py [--writers 8] [--per-writer 200]     (on the store at DATABASE_URL)

Each writer is a process of its own (as each app process is), released together; every entry is one service
call in its own transaction, as a form's save is: articles and progress entries in turn, each distinct, so
every one must be stored exactly once. Reports each write's time (p50 / p95 / max) and every error a user
would have seen. Used by the benchmark and by tests/test_load.py (which checks the counts, not the times).
"""

from __future__ import annotations

import multiprocessing
import queue
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TAG = "并发录入测试"  # in every title and note: the rows this load wrote


@dataclass
class LoadResult:
    writers: int
    per_writer: int
    latencies: list[float] = field(default_factory=list)  # seconds, one per successful write
    errors: list[str] = field(default_factory=list)  # what a user would have read
    wall: float = 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")

    def summary(self) -> str:
        ms = [1000 * self.percentile(p) for p in (0.5, 0.95)]
        return (
            f"{self.writers} 个写入进程 × {self.per_writer} 条：成功 {len(self.latencies)} 条，"
            f"出错 {len(self.errors)} 条；"
            f"每条 p50 {ms[0]:.0f} ms，p95 {ms[1]:.0f} ms，最长 {1000 * max(self.latencies, default=0):.0f} ms；"
            f"共 {self.wall:.1f} 秒"
        )


def targets(url: str) -> dict:
    """Where the load writes: the first county, an outlet, a township item of its first year's projects."""
    from sqlmodel import Session, select

    from data_layer.infra.db import get_engine
    from data_layer.models import County, Outlet, Project, ProjectItem, Township

    with Session(get_engine(url)) as s:
        county = s.exec(select(County.id).order_by(County.sort_order, County.id)).first()
        outlet = s.exec(select(Outlet.id).order_by(Outlet.id)).first()
        item, year = s.exec(
            select(ProjectItem.id, Project.year)
            .join(Project, Project.id == ProjectItem.project_id)
            .where(Project.county_id == county, ProjectItem.scope == "township", ProjectItem.measure == "count")
            .order_by(Project.year, ProjectItem.id)
        ).first()
        township = s.exec(select(Township.id).where(Township.county_id == county).order_by(Township.id)).first()
    return dict(county=county, outlet=outlet, item=item, year=year, township=township)


def _write_many(url: str, k: int, per: int, where: dict, pause: float, run_id: str, start, out) -> None:
    import logging

    if multiprocessing.parent_process() is not None:  # a spawned writer (not a thread of the caller's process)
        logging.disable(logging.WARNING)  # no Streamlit runtime in a worker: its cache warns once per process
    from data_layer.domain.errors import GridRejected, NeedsConfirmation, StoreUnavailable, ValidationFailed
    from data_layer.domain.roles import AREAS, Actor
    from data_layer.services import projects, publicity
    from data_layer.services.records import services_for

    actor = Actor(username=f"load{k}", name=f"录入员{k}", role="staff", areas=tuple(AREAS))
    latencies, errors = [], []
    pace = random.Random(k)
    start.wait()
    for n in range(per):
        if pause:
            time.sleep(pace.uniform(0.5, 1.5) * pause)  # a person between two saves (not counted)
        began = time.perf_counter()
        try:
            if n % 2 == 0:
                services_for(publicity.ARTICLE).create(
                    db_url=url,
                    actor=actor,
                    today=date(where["year"], 12, 31),
                    values=dict(
                        county_id=where["county"],
                        outlet_id=where["outlet"],
                        title=f"{TAG}{run_id}：录入员{k}的第{n + 1}篇稿件",
                        published_on=date(where["year"], 1 + n % 12, 1 + k),
                        link=f"https://example.com/load/{run_id}/{k}/{n}.html",
                    ),
                )
            else:
                services_for(projects.PROGRESS).create(
                    db_url=url,
                    actor=actor,
                    confirm=True,  # far past the township's target: confirmed, as a person would
                    warning_note=TAG,
                    today=date(where["year"], 12, 31),
                    values=dict(
                        item_id=where["item"],
                        township_id=where["township"],
                        entry_date=date(where["year"], 1 + n % 12, 1 + k),
                        quantity=1000 + k * per + n,  # distinct: never a repeat of another writer's entry
                        note=f"{TAG} {k}-{n}",
                    ),
                )
            latencies.append(time.perf_counter() - began)
        except (ValidationFailed, NeedsConfirmation, GridRejected, StoreUnavailable) as exc:  # what a form shows
            errors.append(f"录入员{k} 第{n + 1}条：{type(exc).__name__} {exc}")
        except Exception as exc:  # noqa: BLE001 (the page's error box: counted, not hidden)
            errors.append(f"录入员{k} 第{n + 1}条：未处理的错误 {type(exc).__name__} {exc}")
    out.put((latencies, errors))


def run(
    url: str, writers: int = 8, per_writer: int = 200, pause: float = 0.0, run_id: str = "", processes: bool = True
) -> LoadResult:
    """``pause``: seconds a writer waits between saves, on average (0: back to back, a stress test); ``run_id``
    tells this run's titles from an earlier run's on the same store (else they repeat and ask to confirm)."""
    where = targets(url)
    if processes:  # a fresh interpreter per writer, as separate app processes
        ctx = multiprocessing.get_context("spawn")
        start, out = ctx.Barrier(writers + 1), ctx.Queue()
        make = ctx.Process
    else:  # threads of this process, each with its own connection (inside the test suite, where spawned
        # interpreters died on start)
        start, out, make = threading.Barrier(writers + 1), queue.Queue(), threading.Thread
    args = [(url, k, per_writer, where, pause, run_id, start, out) for k in range(writers)]
    procs = [make(target=_write_many, args=a) for a in args]
    for p in procs:
        p.start()
    start.wait(timeout=300)  # every writer started (a writer that failed to start breaks the barrier)
    began = time.perf_counter()
    result = LoadResult(writers, per_writer)
    for _ in procs:
        latencies, errors = out.get(timeout=1800)
        result.latencies += latencies
        result.errors += errors
    result.wall = time.perf_counter() - began
    for p in procs:
        p.join()
    return result


def main() -> None:
    import argparse
    import os

    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--per-writer", type=int, default=200)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between a writer's saves, on average")
    args = parser.parse_args()
    result = run(os.environ["DATABASE_URL"], args.writers, args.per_writer, args.pause)
    print(result.summary())
    for line in result.errors[:20]:
        print(line)
    print(f"中位数 {statistics.median(result.latencies) * 1000:.0f} ms" if result.latencies else "没有成功的写入")


if __name__ == "__main__":
    main()
