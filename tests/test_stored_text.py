"""Stored text is shown as text: a name, unit, title, note or 录入人 holding markdown or HTML never becomes
a link, an image (a request to another host) or markup on any page."""

from __future__ import annotations

import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import rows
from tests.test_pages import PAGE_MODULES, page_script

IMAGE = "![i](http://h/b.png)"  # a 录入人 like this made every viewer's browser fetch the URL
SHORT = "![i](x)"  # fits a 10-character unit
HTML = "<b>x</b>"


def poison(path: str) -> dict[str, int]:
    """Markdown and HTML in every kind of stored text of the demo store; returns a poisoned record of each."""
    with sqlite3.connect(path) as conn:
        for sql in (
            f"UPDATE township SET name = name || '{IMAGE}' WHERE id = (SELECT MIN(id) FROM township)",
            f"UPDATE project SET name = name || '{IMAGE}'",
            f"UPDATE projectitem SET name = name || '{IMAGE}{HTML}', unit = '{SHORT}'",
            f"UPDATE subsidytype SET name = name || '{IMAGE}'",
            f"UPDATE outlet SET name = name || '{IMAGE}'",
            f"UPDATE article SET title = title || '{IMAGE}', created_by = '{IMAGE}', warning_note = '{IMAGE}'",
            f"UPDATE employer SET name = name || '{IMAGE}'",
            f"UPDATE progressentry SET created_by = '{IMAGE}', note = '{IMAGE}{HTML}', warning_note = '{IMAGE}'",
            f"UPDATE disbursement SET created_by = '{IMAGE}', note = '{IMAGE}', warning_note = '{IMAGE}'",
            f"UPDATE indicator SET name = name || '{IMAGE}', unit = '{SHORT}'",
            f"UPDATE indicatorvalue SET created_by = '{IMAGE}', note = '{IMAGE}{HTML}', warning_note = '{IMAGE}'",
        ):
            conn.execute(sql)
    url = f"sqlite:///{path}"
    return {
        "entry_projects": rows(url, "SELECT MIN(id) AS id FROM progressentry")[0]["id"],
        "entry_subsidies": rows(url, "SELECT MIN(id) AS id FROM disbursement")[0]["id"],
        "entry_publicity": rows(url, "SELECT MIN(id) AS id FROM article")[0]["id"],
        "entry_other_work": rows(url, "SELECT MIN(id) AS id FROM indicatorvalue")[0]["id"],
    }


def markdown_text(at: AppTest) -> list[str]:
    """Every string Streamlit renders as markdown: bodies (text, alerts, toasts, headings) and labels."""
    return _texts(at, html=False)


def html_bodies(at: AppTest) -> list[str]:
    """What ``st.html`` draws: markdown means nothing there (“![i](…)” is plain text), markup does."""
    return _texts(at, html=True)


def _texts(at: AppTest, *, html: bool) -> list[str]:
    found: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if (type(node).__name__ == "Html") != html:
            proto = None  # the other kind: only its children are looked at
        for name in ("body", "label", "help"):
            value = getattr(proto, name, None) if proto is not None else None
            if isinstance(value, str) and value:
                found.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


@pytest.fixture
def poisoned(demo_template, tmp_path) -> tuple[str, dict[str, int]]:
    import shutil

    path = tmp_path / "poisoned.sqlite3"
    shutil.copy(demo_template, path)
    return f"sqlite:///{path}", poison(str(path))


@pytest.mark.parametrize("module", PAGE_MODULES)
def test_no_page_renders_stored_markdown_or_html(poisoned, module):
    url, records = poisoned
    at = AppTest.from_string(page_script(module, url), default_timeout=60)
    at.query_params["year"] = "2023"
    if module in records:  # the record header, the 录入人 and the notes of an opened record
        at.query_params["record"] = str(records[module])
    at.run()
    assert not at.exception, at.exception
    leaks = [t for t in markdown_text(at) if IMAGE in t or SHORT in t or HTML in t]
    leaks += [t for t in html_bodies(at) if HTML in t]  # stored text inside st.html is escaped
    assert leaks == []


def test_a_toast_naming_a_poisoned_township_shows_it_as_text(poisoned):
    url, _ = poisoned
    at = AppTest.from_string(page_script("entry_projects", url, who=IMAGE), default_timeout=60)
    at.query_params["year"] = "2023"
    at.run()
    at.selectbox(key="pe_unit").select_index(0)  # the first township, whose name carries the image
    at.text_input(key="pe_f_quantity_0").input("2")
    at.text_input(key="pe_f_amount_fen_0").input("900")
    at.form_submit_button[0].click().run()
    assert not at.exception
    toast = at.toast[0].value
    assert "已保存" in toast and IMAGE not in toast and "\\!\\[i\\]" in toast
