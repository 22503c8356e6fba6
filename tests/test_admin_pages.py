"""The administrators' pages save as the signed-in account (no typed name), and the audit log says who."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import rows
from tests.test_pages import page_script


def test_thresholds_are_saved_by_the_signed_in_administrator(reference_url):
    at = AppTest.from_string(page_script("targets", reference_url, who="王管理"), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception, at.exception
    by_label = {n.label: n for n in at.number_input}
    by_label["滞后：完成进度落后序时进度超过（百分点）"].set_value(8.0)
    by_label["严重滞后：落后超过（百分点）"].set_value(25.0)
    next(b for b in at.button if b.label == "保存阈值").click().run()
    assert not at.exception, at.exception
    saved = {r["key"]: r["value"] for r in rows(reference_url, "SELECT key, value FROM appsetting")}
    assert (saved["pace.behind"], saved["pace.far_behind"]) == ("0.08", "0.25")
    audit = rows(reference_url, "SELECT actor FROM auditlog WHERE table_name = 'appsetting' ORDER BY id DESC")
    assert audit[0]["actor"] == "王管理"
