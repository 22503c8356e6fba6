"""8 writers × 200 entries at once through the services (scripts/write_load.py), on both engines: every entry
stored exactly once and no error reaching a user. Times are the benchmark's business, not this test's."""

from __future__ import annotations

from data_layer.infra import audit
from scripts import write_load
from tests.conftest import rows


def test_eight_writers_each_saving_two_hundred_entries_store_every_one_once(demo_url):
    before = {t: rows(demo_url, f"SELECT COUNT(*) AS n FROM {t}")[0]["n"] for t in ("article", "progressentry")}
    result = write_load.run(demo_url, writers=8, per_writer=200, processes=False)
    assert result.errors == [] and len(result.latencies) == 1600
    per_writer = rows(
        demo_url,
        "SELECT created_by, COUNT(*) AS n, COUNT(DISTINCT title) AS titles FROM article "
        "WHERE title LIKE ? GROUP BY created_by",
        (write_load.TAG + "%",),
    )
    assert sorted((r["n"], r["titles"]) for r in per_writer) == [(100, 100)] * 8
    progress = rows(
        demo_url,
        "SELECT created_by, COUNT(*) AS n, COUNT(DISTINCT quantity) AS q FROM progressentry "
        "WHERE note LIKE ? GROUP BY created_by",
        (write_load.TAG + "%",),
    )
    assert sorted((r["n"], r["q"]) for r in progress) == [(100, 100)] * 8
    after = {t: rows(demo_url, f"SELECT COUNT(*) AS n FROM {t}")[0]["n"] for t in before}
    assert after == {"article": before["article"] + 800, "progressentry": before["progressentry"] + 800}
    assert audit.verify(demo_url).whole
