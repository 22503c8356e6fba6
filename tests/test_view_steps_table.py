"""The small steps the pages word and shape things by (data_layer/views/*: a cell's text and number, a status in
words, an assessment's state, a roster line's count, a campaign's first day…), the settings read from the
environment, and the store's refusals in words (data_layer/infra/store_errors.py), one row per case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pandas as pd
import pytest

from data_layer.domain import text
from data_layer.infra import settings, store_errors
from data_layer.views import board, common, levy_lists, meeting, other_work, projects, roster, subsidies
from tests.conftest import person

D = date


@pytest.mark.parametrize(
    ("kind", "value", "shown", "number"),
    [
        ("wan", 1_234_567, "1.23", 1.23),  # fen → 万元
        ("yuan", 12_345, "123.45", 123.45),
        ("pct", 0.5255, "52.6%", 0.526),
        ("count", 1234, "1,234", 1234),
        ("count", 2.5, "2.5", 2.5),
        ("day", D(2023, 5, 2), "2023-05-02", D(2023, 5, 2)),
        ("day", None, "", None),
        ("text", "鲁村镇", "鲁村镇", "鲁村镇"),
        ("text", None, "", None),
        ("yuan", None, text.NONE, None),
        ("count", float("nan"), text.NONE, None),
    ],
)
def test_board_cells(kind, value, shown, number):
    assert board.cell_text(kind, value) == shown
    got = board.cell_number(kind, value)
    assert got == number and type(got) is type(number)


def test_board_time_cells_are_beijing_time():
    moment = datetime(2023, 5, 2, 16, 30, tzinfo=UTC)
    assert board.cell_number("time", moment) == datetime(2023, 5, 3, 0, 30)
    assert board.cell_text("time", moment).startswith("2023-05-03 00:30")


@pytest.mark.parametrize(
    ("value", "count", "at_least", "shown"),
    [(200, 3, True, "200 以上"), (200, 3, False, "200"), (0, 1, False, "0"), (5, 0, True, text.NONE)],
)
def test_shown_value(value, count, at_least, shown):
    assert other_work.shown_value(value, count, at_least) == shown


@pytest.mark.parametrize(
    ("figure", "shown"),
    [
        ({"text": "冻结时的文字", "kind": "count", "value": 1}, "冻结时的文字"),
        ({"kind": "count", "value": 1234, "unit": "人"}, "1,234 人"),
        ({"kind": "count", "value": 7}, "7"),
        ({"kind": "yuan", "value": 12_345}, "123.45 元"),
    ],
)
def test_figure_text(figure, shown):
    assert meeting.figure_text(figure) == shown


@pytest.mark.parametrize(
    ("project", "short"),
    [
        ("残疾人民生救助“双百工程”", "双百工程"),
        ("阳光家园残疾人托养工程", "阳光家园"),
        ("“圆梦”计划", "圆梦"),
        ("康复", "康复"),
    ],
)
def test_short_name(project, short):
    assert projects.short_name(project) == short


@pytest.mark.parametrize(
    ("year", "month", "end"), [(2023, 2, D(2023, 2, 28)), (2024, 2, D(2024, 2, 29)), (2023, 12, D(2023, 12, 31))]
)
def test_month_end(year, month, end):
    assert projects.month_end(year, month) == end


def test_item_key_status_words_and_short_type():
    assert projects.item_key("shuangbai", "wheelchair") == "shuangbai.wheelchair"
    words = {projects.status_words(s, "x") for s in ("on_track", "behind", "far_behind", "no_target")}
    assert len(words) == 4 and all(w.endswith(" x") and len(w) > 2 for w in words)  # a distinct mark each
    assert subsidies.short_type("低保重度残疾人生活补贴") == "低保重度生活补贴"
    assert subsidies.short_type("机动轮椅车燃油补贴") == "机动轮椅车燃油补贴"


@pytest.mark.parametrize(
    ("total", "shown", "note"),
    [
        (50, 50, ""),
        (10, 50, ""),
        (51, 50, "共 51 条，这里列出排在最前的 50 条；全部见“下载 Excel”。"),
        (1200, 100, "共 1,200 条，这里列出排在最前的 100 条；全部见“下载 Excel”。"),
    ],
)
def test_first_rows_note(total, shown, note):
    assert common.first_rows_note(total, shown, "条") == note


@pytest.mark.parametrize(
    ("counts", "contract", "insurance", "per_person", "months", "words"),
    [
        (True, True, True, 2, 12, "计 2 人"),
        (True, True, True, 1, 6, "计 1 人 × 6/12"),
        (False, False, True, 1, 12, "不计（缺劳动合同）"),
        (False, True, False, 1, 12, "不计（缺社保）"),
        (False, False, False, 2, 12, "不计（缺劳动合同、社保）"),
    ],
)
def test_counted_text(counts, contract, insurance, per_person, months, words):
    line = SimpleNamespace(
        counts=counts, contract_ok=contract, insurance_ok=insurance, per_person=per_person, months=months
    )
    assert roster.counted_text(line) == words
    assert roster.yes_no(contract) == ("是" if contract else "否")


CAMPAIGNS = pd.DataFrame({"campaign_id": [1], "start_date": [D(2023, 5, 20)], "end_date": [D(2023, 6, 30)]})


@pytest.mark.parametrize(
    ("campaign_id", "today", "first"),
    [
        (1, D(2023, 6, 1), D(2023, 6, 1)),  # within the campaign: today
        (1, D(2023, 5, 1), D(2023, 5, 20)),  # before it: its first day
        (1, D(2026, 11, 28), D(2023, 6, 30)),  # after it: its last day
        (None, D(2026, 11, 28), D(2026, 1, 1)),  # routine checks: the default
        (9, D(2026, 11, 28), D(2026, 1, 1)),
    ],
)
def test_first_day(campaign_id, today, first):
    assert levy_lists.first_day(CAMPAIGNS, campaign_id, today, D(2026, 1, 1)) == first


@pytest.mark.parametrize(
    ("owed", "overdue", "state"),
    [(0, True, "已缴清"), (-5, False, "已缴清"), (1, False, "未缴清"), (1, True, "逾期未缴清")],
)
def test_assessment_state(owed, overdue, state):
    assert levy_lists.assessment_state(owed, overdue) == state


def test_yuan_cells_paid_line_and_payment_words():
    assert levy_lists.yuan_cells([12_345, 0.5, None, 100]) == [123.45, 0.01, None, 1.0]
    owing = {"amount_fen": 100_000, "paid_fen": 40_000, "owed_fen": 60_000}
    assert levy_lists.paid_line(owing) == "**缴纳情况**：应缴 1,000.00 元，已缴 400.00 元，尚欠 **600.00 元**"
    settled = {"amount_fen": 100_000, "paid_fen": 100_000, "owed_fen": 0}
    assert levy_lists.paid_line(settled).endswith("已缴 1,000.00 元，已缴清")
    paid = pd.DataFrame({"payment_id": [7, 8], "amount_fen": [12_345, 5]})
    assert levy_lists.payment_words("某公司", paid, 7) == "已记录缴纳：某公司 123.45 元"
    assert levy_lists.payment_words("某公司", paid, 9) == "已记录缴纳：某公司"


# --- settings and the store's refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "wait", "pool"),
    [
        ({}, 15.0, (5, 10)),
        ({"DPF_WRITE_WAIT": "2.5", "DPF_POOL_SIZE": "3", "DPF_POOL_OVERFLOW": "0"}, 2.5, (3, 0)),
        ({"DPF_WRITE_WAIT": "", "DPF_POOL_SIZE": ""}, 15.0, (5, 10)),  # set but empty: the default
    ],
)
def test_settings_from_the_environment(monkeypatch, tmp_path, env, wait, pool):
    for name in ("DPF_WRITE_WAIT", "DPF_POOL_SIZE", "DPF_POOL_OVERFLOW"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert settings.write_wait_seconds() == wait and settings.pool_size() == pool
    monkeypatch.setenv("DPF_DATA_DIR", str(tmp_path))
    assert settings.data_dir() == tmp_path
    monkeypatch.setenv("DPF_DATA_DIR", "")
    assert settings.data_dir() == settings.REPO_ROOT / "data"


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("database is locked", store_errors.BUSY),
        ("canceling statement due to lock timeout", store_errors.BUSY),
        ("attempt to write a readonly database", store_errors.READ_ONLY),
        ("cannot execute INSERT in a read-only transaction", store_errors.READ_ONLY),
        ("database or disk is full", store_errors.FULL),
        ("could not extend file: No space left on device", store_errors.FULL),
        ("connection refused", store_errors.GONE),
    ],
)
def test_store_unavailable(message, said):
    assert store_errors.store_unavailable(SimpleNamespace(orig=Exception(message))).message == said


def test_utcnow_and_a_new_backup_path(monkeypatch, tmp_path):
    from data_layer.infra import backup
    from data_layer.models import utcnow

    before = datetime.now(UTC)
    now = utcnow()
    assert now.tzinfo is not None and now.utcoffset().total_seconds() == 0 and before <= now <= datetime.now(UTC)
    monkeypatch.setenv("DPF_BACKUP_DIR", str(tmp_path))
    first = backup.new_backup_path()
    assert first.parent == tmp_path and first.suffix == ".dpfbak" and first.name.startswith("backup-")
    first.write_text("x")  # made: the next in the same second gets another name, never this one
    second = backup.new_backup_path()
    assert second != first and not second.exists() and second.parent == tmp_path


# --- the levy pages' lines ------------------------------------------------------------------------------------------


def test_campaign_names_and_inspections_so_far():
    campaigns = pd.DataFrame(
        {"campaign_id": [1], "campaign": ["专项检查"], "start_date": [D(2023, 5, 20)], "end_date": [D(2023, 6, 30)]}
    )
    assert levy_lists.campaign_names(campaigns) == {
        1: "专项检查（2023年5月20日至6月30日）",
        levy_lists.ROUTINE: "日常检查（不属于专项活动）",
    }
    counts = {"inspections": 1500, "onsite": 206, "documentary": 1294, "employers": 1400}
    assert levy_lists.inspections_so_far(campaigns, 1, 2023, counts, "全县") == (
        "专项检查（2023年5月20日至6月30日） · 全县：共 1,500 次，现场检查 206 次，书面检查 1,294 次，涉及 1,400 家单位"
    )
    assert levy_lists.inspections_so_far(campaigns, None, 2022, counts, "鲁村镇").startswith(
        "2022年日常检查 · 鲁村镇："
    )


def test_assessment_line_and_figures():
    a = {
        "credit_code": "91370323MA3C00001X",
        "township": "鲁村镇",
        "year": 2023,
        "assessed_on": D(2023, 10, 1),
        "due_on": D(2023, 12, 31),
        "basis": "年审通过",
    }
    assert levy_lists.assessment_line(a) == (
        "91370323MA3C00001X · 鲁村镇 · 2023年核定 · 核定日期 2023年10月1日 · 缴纳期限 2023年12月31日 · 依据：年审通过"
    )
    totals = {
        "assessments": 825,
        "owing": 12,
        "amount_fen": 123_456_789,
        "paid_fen": 100_000_000,
        "owed_fen": 23_456_789,
    }
    figures = levy_lists.assessment_figures(totals, 2023, 7_356_000_000)
    assert figures == [
        ("核定单位", "825", "家", "其中 12 家尚未缴清"),
        ("核定金额", "123.46", "万元", ""),
        ("已缴", "100.00", "万元", "2023年征收任务 7,356.00 万元"),
        ("尚欠", "23.46", "万元", ""),
    ]
    assert levy_lists.assessment_figures(totals, 2023, None)[2][3] == ""  # a township's view names no task


def test_roster_words_and_who_sees_people():
    from data_layer.access import Access

    admin = Access("管理员", people=True, actor=person(role="admin"))
    staff = Access("科员", people=True, actor=person(role="staff"))
    leader = Access("领导", people=False, actor=person(role="leader"))
    assert roster.people_shown(admin) and roster.people_shown(staff) and not roster.people_shown(leader)
    assert roster.people_shown(admin, export=True, full=True)
    assert not roster.people_shown(admin, export=True)  # a file has full numbers only when asked for
    assert not roster.people_shown(staff, export=True, full=True)  # and only for an administrator
    assert roster.roster_note(leader).endswith("身份证号、残疾人证号已遮盖。")
    assert not roster.roster_note(staff).endswith("已遮盖。")
    assert roster.roster_title({"employer": "某公司", "year": 2023}) == "某公司 2023年残疾职工名册"


@pytest.mark.parametrize(
    ("employers", "shown", "tail"),
    [(12, 50, ""), (50, 50, ""), (51, 50, "（下表列出前 50 家，请用查找或乡镇筛选缩小范围；导出的表格含全部）")],
)
def test_registry_totals_line(employers, shown, tail):
    from data_layer.views import registry

    totals = {"employers": employers, "staff": 1340, "disabled_staff": 5}
    line = registry.totals_line("全县", totals, shown)
    assert line == f"**全县**：共 **{employers}** 家，职工 1,340 人，残疾职工 5 人{tail}"
