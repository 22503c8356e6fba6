"""The one import component (pages/common/file_import.py) through its two pages: what changed in the store
between the dry run and the commit refuses the whole file and checks it again; a busy or read-only store is a
message with nothing written and the file kept for another try; a file that is not a list is refused as a
whole; an account that may not import sees the log only."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_layer.domain.errors import StoreUnavailable
from data_layer.infra.store_errors import BUSY, READ_ONLY
from data_layer.services import list_imports
from tests.conftest import rows, shown
from tests.test_article_import import RADIO
from tests.test_article_import import xlsx as ledger_xlsx
from tests.test_employer_import import codes, register
from tests.test_employer_import import xlsx as employer_xlsx
from tests.test_pages import page_script

XLSX = "application/octet-stream"


def import_tab(url: str, module: str, tab: str, areas: tuple[str, ...], role: str = "staff") -> AppTest:
    at = AppTest.from_string(page_script(module, url, who="导入员", role=role, areas=areas), default_timeout=60)
    at.query_params["year"] = "2023"
    at.session_state[tab] = "批量导入"
    at.run()
    assert not at.exception, at.exception
    return at


def commit_button(at: AppTest):
    return next(b for b in at.button if b.label.startswith("确认导入"))


def test_a_change_in_the_store_after_the_dry_run_refuses_the_whole_file_and_checks_it_again(reference_url):
    at = import_tab(reference_url, "levy_registry", "er_tab", ("levy",))
    a, b = codes(2)
    good = employer_xlsx(
        [
            ["沂源组件甲公司", a, "鲁村镇", 20, 1, 46000, "小型", "否"],
            ["沂源组件乙公司", b, "东里镇", 5, None, 0, "微型", "否"],  # 残疾职工人数 empty: a registered one's stays
        ]
    )
    at.file_uploader[0].set_value(("名单.xlsx", good, XLSX)).run()
    assert commit_button(at).label == "确认导入：新增 2 家，更新 0 家"
    register(reference_url, b, staff=50, disabled_staff=10)  # registered meanwhile, from another tab
    commit_button(at).click().run()
    assert not at.exception, at.exception
    refused = "有 1 行有问题（第一处：第 3 行，残疾职工人数不能多于职工人数），整个文件未导入"
    assert refused in [shown(e.value) for e in at.error]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM employer")[0]["n"] == 1  # only the other tab's
    # checked again against the store as it is now: row 3 is named, nothing can be imported
    assert [m.value for m in at.metric] == ["1 家", "0 家", "0 家", "0 家", "1 行"]
    assert list(at.dataframe[0].value[["行号", "问题"]].iloc[0]) == [3, "残疾职工人数不能多于职工人数"]
    assert not [b for b in at.button if b.label.startswith("确认导入")]


@pytest.mark.parametrize("message", [BUSY, READ_ONLY])
def test_a_busy_or_read_only_store_writes_nothing_and_keeps_the_file(reference_url, monkeypatch, message):
    def unavailable(*args, **kwargs):
        raise StoreUnavailable(message)

    at = import_tab(reference_url, "publicity_ledger", "al_tab", ("publicity",))
    at.file_uploader[0].set_value(("台账.xlsx", ledger_xlsx([["2023-05-20", RADIO, "一篇", "", "", ""]]), XLSX)).run()
    monkeypatch.setattr(list_imports.Articles, "commit", unavailable)
    commit_button(at).click().run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in at.error] == [message]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM article")[0]["n"] == 0
    monkeypatch.undo()
    commit_button(at).click().run()  # the same file, once more
    assert [shown(s.value) for s in at.success] == ["已导入“台账.xlsx”：新增 1 篇，更新 0 篇，无变化 0 篇。"]
    assert rows(reference_url, "SELECT COUNT(*) AS n FROM article")[0]["n"] == 1


def test_a_file_that_is_no_ledger_is_refused_on_the_page(reference_url):
    at = import_tab(reference_url, "publicity_ledger", "al_tab", ("publicity",))
    at.file_uploader[0].set_value(("台账.xlsx", employer_xlsx([]), XLSX)).run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in at.error] == [
        "不能导入“台账.xlsx”：在前 5 行中找不到表头。第一张工作表应有这些列：发表日期、发表媒体、稿件标题、"
        "乡镇（街道）、类型、链接。可下载模板，把台账复制进去再导入。"
    ]
    assert not at.metric and not [b for b in at.button if b.label.startswith("确认导入")]


def test_an_account_that_does_not_enter_the_area_sees_no_import(reference_url):
    """An account entering publicity only: the registry is read-only, with neither tabs nor a file chooser."""
    at = AppTest.from_string(page_script("levy_registry", reference_url, role="staff", areas=("publicity",)))
    at.query_params["year"] = "2023"
    at.run()
    assert not at.exception, at.exception
    assert not at.tabs and not at.file_uploader
    assert "只读：登记和修改用人单位需要“残保金”录入权限。" in [c.value for c in at.caption]
