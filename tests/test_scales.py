"""Every scale the README documents is seeded here (the province reduced to a few of its counties), through the
command line the README gives; a seed killed in the middle leaves nothing, and the store can be read meanwhile."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from data_layer.checks import findings
from data_layer.infra import audit, store
from tests.conftest import rows, sqlite_url

ROOT = Path(__file__).resolve().parent.parent
# what every county of a demo holds, by table: the county's own rows are found through these joins
PER_COUNTY = {
    "employers": "SELECT county_id AS c, COUNT(*) AS n FROM employer GROUP BY county_id",
    "reviews": "SELECT e.county_id AS c, COUNT(*) AS n FROM annualreview r JOIN employer e ON e.id = r.employer_id "
    "GROUP BY e.county_id",
    "rosters": "SELECT e.county_id AS c, COUNT(*) AS n FROM rosterperson p JOIN annualreview r ON r.id = p.review_id "
    "JOIN employer e ON e.id = r.employer_id GROUP BY e.county_id",
    "assessments": "SELECT e.county_id AS c, COUNT(*) AS n FROM levyassessment a "
    "JOIN employer e ON e.id = a.employer_id GROUP BY e.county_id",
    "articles": "SELECT county_id AS c, COUNT(*) AS n FROM article GROUP BY county_id",
    "disbursements": "SELECT county_id AS c, COUNT(*) AS n FROM disbursement GROUP BY county_id",
    "progress": "SELECT p.county_id AS c, COUNT(*) AS n FROM progressentry e JOIN projectitem i ON i.id = e.item_id "
    "JOIN project p ON p.id = i.project_id GROUP BY p.county_id",
}


def seed_command(url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "data_layer", "seed", "--demo", *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def assert_every_county_seeded(url: str, expected: int) -> None:
    names = rows(url, "SELECT id, name FROM county ORDER BY sort_order")
    assert len(names) == expected
    for what, sql in PER_COUNTY.items():
        per = {r["c"]: r["n"] for r in rows(url, sql)}
        assert all(per.get(c["id"], 0) > 0 for c in names), (what, per)
    # the home county is the report's whichever scale: its 2023 H1 articles are the report's 72
    home = rows(
        url,
        "SELECT COUNT(*) AS n FROM article a JOIN county c ON c.id = a.county_id "
        "WHERE c.name = '沂源县' AND a.published_on BETWEEN '2023-01-01' AND '2023-06-30'",
    )
    assert home[0]["n"] == 72
    assert audit.verify(url).whole


@pytest.mark.parametrize(("scale", "extra", "expected"), [("city", (), 8), ("province", ("--counties", "5"), 5)])
def test_each_documented_scale_seeds_through_the_command_line(tmp_path, scale, extra, expected):
    url = sqlite_url(tmp_path / f"{scale}.sqlite3")
    seeding = seed_command(url, "--scale", scale, *extra)
    out, _ = seeding.communicate(timeout=600)
    assert seeding.returncode == 0, out
    assert f"{expected}/{expected} 个县区" in out and "已载入" in out  # the progress bar reached its end
    assert_every_county_seeded(url, expected)
    found = findings(url)
    assert not found.empty and set(found["check"]) >= {"levy.shared_person", "progress.over_target"}
    if scale == "province":
        assert rows(url, "SELECT COUNT(*) AS n FROM county WHERE name LIKE '示范%县'")[0]["n"] == expected - 1


def test_a_seed_killed_in_the_middle_leaves_nothing_and_the_store_is_read_meanwhile(tmp_path):
    url = sqlite_url(tmp_path / "killed.sqlite3")
    store.ensure_ready(url, seed_if_empty=False)  # migrated, empty
    seeding = seed_command(url, "--scale", "province", "--counties", "40")
    read_during = []
    try:
        deadline = time.monotonic() + 300
        for line in seeding.stdout:  # wait until the seed is well into its writing (a tenth of the way)
            done = re.search(r"(\d+)/40 个县区", line)
            if done and int(done.group(1)) >= 4:
                break
            assert time.monotonic() < deadline, "the seed never got going"
        started = time.monotonic()
        read_during.append(store.is_empty(url))  # a reader is not blocked by the writer (WAL)
        read_during.append(time.monotonic() - started)
        seeding.send_signal(signal.SIGKILL)
        seeding.wait(timeout=30)
    finally:
        if seeding.poll() is None:
            seeding.kill()
    assert read_during[0] is True  # the seed's rows are not visible before it commits
    assert rows(url, "SELECT COUNT(*) AS n FROM employer")[0]["n"] == 0
    assert rows(url, "SELECT COUNT(*) AS n FROM auditlog WHERE action = 'bulk'")[0]["n"] == 0
    assert rows(url, "PRAGMA integrity_check")[0]["integrity_check"] == "ok"
    again = seed_command(url, "--scale", "province", "--counties", "2")  # the store is usable: seeding works
    out, _ = again.communicate(timeout=300)
    assert again.returncode == 0, out
    assert_every_county_seeded(url, 2)
