"""The levy entry pages through AppTest: the review page for staff and for an account that only sees masked
numbers, a declaration and its approval through the widgets, the roster form, the calculator against a case
computed by hand, a refused overpayment beside its field, quick inspection entry, and the levy year setting."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from data_layer.services.records import services_for
from tests.conftest import rows, shown
from tests.test_levy_services import (
    add_person,
    count,
    declare,
    employer,
    notified,
    one_assessment,
    pid,
    review_row,
    roster_line,
)
from tests.test_pages import page_script


def page(
    url: str, module: str, *, role: str = "admin", areas=None, who: str = "王管理", township=None, **params
) -> AppTest:
    """A page's render() as a signed-in person; ``township``: a township officer's (name, id)."""
    town_name, town_id = township or (None, None)
    script = page_script(module, url, who=who, role=role, township_id=town_id, township=town_name, areas=areas)
    at = AppTest.from_string(script, default_timeout=60)
    at.query_params["year"] = "2023"
    for key, value in params.items():
        at.query_params[key] = str(value)
    at.run()
    assert not at.exception, at.exception
    return at


def roster_table(at: AppTest):
    return next(d.value for d in at.dataframe if "身份证号" in d.value.columns)


def column_with(at: AppTest, key: str, kind: str = "text_input"):
    """The innermost column that holds the widget ``key`` (an error “beside the field” is in that column)."""
    return [c for c in at.columns if any(w.key == key for w in getattr(c, kind))][-1]


def a_review_with_a_roster(url: str) -> tuple[int, dict]:
    review = notified(url, employer(url, 1))
    line = roster_line(1, grade=2, months=6)
    add_person(url, review, line)
    declare(url, review, claimed=1)
    return review, line


def test_staff_of_the_levy_area_see_the_roster_in_full(reference_url):
    review, line = a_review_with_a_roster(reference_url)
    at = page(reference_url, "levy_reviews", role="staff", areas=("levy",), record=review)
    table = roster_table(at)
    assert list(table["姓名"]) == ["测试职工1"]
    assert list(table["身份证号"]) == [line["id_number"]]
    assert list(table["残疾人证号"]) == [line["cert_number"]]
    assert list(table["等级"]) == ["二级"] and list(table["在岗月数"]) == [6]
    assert list(table["计入"]) == ["计 2 人 × 6/12"] and list(table["折算人数"]) == ["1"]
    assert any("折算合计 **1 人**" in m.value for m in at.markdown)
    assert any(b.label == "审核通过" for b in at.button)  # a declared review: approve or return


def test_an_account_without_the_levy_area_sees_masked_numbers_and_no_forms(reference_url):
    review, line = a_review_with_a_roster(reference_url)
    at = page(reference_url, "levy_reviews", role="staff", areas=("projects",), who="王科员", record=review)
    table = roster_table(at)
    number, cert = line["id_number"], line["cert_number"]
    assert list(table["姓名"]) == ["测****"]
    assert list(table["身份证号"]) == [number[:6] + "*" * 8 + number[-4:]]
    assert list(table["残疾人证号"]) == [cert[:6] + "*" * 10 + cert[-4:]]
    on_screen = [str(e.value) for e in (*at.markdown, *at.caption, *at.text_input)]
    on_screen += [d.value.to_string() for d in at.dataframe]
    assert not any(number in text or "测试职工1" in text for text in on_screen)
    assert not [b for b in at.button if b.label in ("审核通过", "退回", "加入名册")]
    assert any("只能查看年审" in shown(c.value) for c in at.caption)


def test_declare_then_approve_through_the_page(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    at = page(reference_url, "levy_reviews", record=review)
    at.text_input(key=f"rv_declare_staff_{review}_0").input("120")
    at.text_input(key=f"rv_declare_avg_wage_fen_{review}_0").input("90,000")
    at.text_input(key=f"rv_declare_disabled_staff_{review}_0").input("1")
    next(b for b in at.button if b.label == "保存申报").click().run()
    assert not at.exception, at.exception
    row = review_row(reference_url, review)
    assert (row["status"], row["staff"], row["avg_wage_fen"], row["disabled_staff"]) == ("declared", 120, 9_000_000, 1)
    assert [shown(t.value) for t in at.toast] == ["已申报：测试单位1"]
    next(b for b in at.button if b.label == "审核通过").click().run()
    # one disabled employee claimed, none on the roster: asked before approving, nothing written yet
    assert review_row(reference_url, review)["status"] == "declared"
    assert any("名册为空" in shown(w.value) for w in at.warning)
    at.button(key="rv_approve_confirm_yes").click().run()
    assert not at.exception, at.exception
    assert review_row(reference_url, review)["status"] == "approved"
    assert any("已审核通过" in s.value for s in at.success)


def test_a_return_without_a_reason_is_refused_beside_the_field(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    declare(reference_url, review)
    at = page(reference_url, "levy_reviews", record=review)
    next(b for b in at.button if b.label == "退回").click().run()
    assert [shown(e.value) for e in at.error] == ["请填写退回原因"]
    assert review_row(reference_url, review)["status"] == "declared"
    at.text_input(key=f"rv_return_reason_{review}_0").input("缺少社会保险缴费证明")
    next(b for b in at.button if b.label == "退回").click().run()
    row = review_row(reference_url, review)
    assert (row["status"], row["return_reason"]) == ("returned", "缺少社会保险缴费证明")
    assert any(b.label == "重新申报" for b in at.button)


def test_a_roster_line_with_a_wrong_check_digit_is_refused_beside_the_id_field(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    at = page(reference_url, "levy_reviews", record=review)
    number = pid(7)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    at.text_input(key=f"rv_p_name_{review}_0").input("测试职工7")
    at.text_input(key=f"rv_p_id_number_{review}_0").input(wrong)
    at.text_input(key=f"rv_p_cert_number_{review}_0").input(wrong + "44")
    at.selectbox(key=f"rv_p_category_{review}_0").select(4)
    at.selectbox(key=f"rv_p_grade_{review}_0").select(4)
    next(b for b in at.button if b.label == "加入名册").click().run()
    beside = column_with(at, f"rv_p_id_number_{review}_0").error
    assert [shown(e.value) for e in beside] == ["身份证号校验位不对，请核对"]
    assert count(reference_url, "rosterperson") == 0
    at.text_input(key=f"rv_p_id_number_{review}_0").input(number)
    at.text_input(key=f"rv_p_cert_number_{review}_0").input(number + "44")
    next(b for b in at.button if b.label == "加入名册").click().run()
    saved = rows(reference_url, "SELECT name, id_number, grade, months FROM rosterperson")
    assert saved == [{"name": "测试职工7", "id_number": number, "grade": 4, "months": 12}]
    assert list(roster_table(at)["身份证号"]) == [number]
    assert at.text_input(key=f"rv_p_name_{review}_1").value == ""  # a fresh form for the next person


def calculate(at: AppTest, **typed: str) -> AppTest:
    for key, value in typed.items():
        at.text_input(key=f"lc_c_{'avg_wage_fen' if key == 'wage' else key}").input(value)
    next(b for b in at.button if b.label == "测算").click().run()
    assert not at.exception, at.exception
    return at


def amount_shown(at: AppTest) -> str:
    body = next(h.proto.body for h in at.get("html") if "应缴残保金" in h.proto.body)
    return body.split('<div class="value">')[1].split("<small>")[0]


def test_the_calculator_writes_out_a_case_computed_by_hand(reference_url):
    at = page(reference_url, "levy_collection")
    # 2023: 100 staff × 1.5 % = 1.5 required, none employed; 200,000 元 capped at 2 × 82,000 = 164,000 元;
    # ratio 0 < 1 % → 90 %: 1.5 × 164,000 × 0.9 = 221,400 元
    calculate(at, staff="100", wage="200000")
    assert amount_shown(at) == "221,400.00"
    steps = next(m.value for m in at.markdown if m.value.startswith("1. "))
    assert "在职职工 100 人 × 安排比例 1.5% = 1.5 人" in steps
    assert "超过上限（当地社会平均工资 82,000.00 元的 2 倍为 164,000.00 元），按上限 164,000.00 元计" in steps
    assert "安排比例低于 1%，按 90% 缴纳" in steps
    assert "= **221,400.00 元**" in steps


def test_the_calculator_counts_a_grade_two_employee_as_two(reference_url):
    at = page(reference_url, "levy_collection")
    # 200 staff → 3 required; one grade 1–2 employee all year counts 2 → 1 short; 2 ÷ 200 = 1 % → 50 %:
    # 1 × 100,000 × 0.5 = 50,000 元
    calculate(at, staff="200", wage="100000", severe="1")
    assert amount_shown(at) == "50,000.00"
    steps = next(m.value for m in at.markdown if m.value.startswith("1. "))
    assert "已安排残疾人（折算）2 人 = 1 人" in steps and "按 50% 缴纳" in steps


def test_the_calculator_reads_a_weighted_head_count_typed_with_a_decimal(reference_url):
    at = page(reference_url, "levy_collection")
    at.radio(key="lc_c_way").set_value("weight").run()
    calculate(at, staff="200", wage="100000", weighted="−1")
    assert [shown(e.value) for e in column_with(at, "lc_c_weighted").error] == ["折算人数不能为负数"]
    assert not [h for h in at.get("html") if "应缴残保金" in h.proto.body]
    # 200 staff → 3 required; 2.5 weighted (full-width, as a Chinese input method types it) → 0.5 short;
    # 2.5 ÷ 200 = 1.25 % ≥ 1 % → 50 %: 0.5 × 100,000 × 0.5 = 25,000 元
    calculate(at, weighted="２．５")
    assert amount_shown(at) == "25,000.00"
    steps = next(m.value for m in at.markdown if m.value.startswith("1. "))
    assert "差额 = 应安排 3 人 − 已安排残疾人（折算）2.5 人 = 0.5 人" in steps
    assert "实际安排比例 = 2.5 ÷ 200 = 1.25%" in steps and "× 50% = **25,000.00 元**" in steps


def test_a_calculator_value_that_cannot_be_read_is_named_beside_its_field(reference_url):
    at = page(reference_url, "levy_collection")
    calculate(at, staff="12.5", wage="100000")
    assert [shown(e.value) for e in column_with(at, "lc_c_staff").error] == ["在职职工人数必须是整数，“12.5”有小数"]
    assert not [h for h in at.get("html") if "应缴残保金" in h.proto.body]


def test_an_overpayment_is_refused_beside_the_amount_and_nothing_is_written(reference_url):
    assessment, _ = one_assessment(reference_url)
    at = page(reference_url, "levy_collection", record=assessment)
    at.text_input(key=f"lc_p_amount_fen_{assessment}_0").input("135000.01")
    next(b for b in at.button if b.label == "记录缴纳").click().run()
    assert not at.exception, at.exception
    errors = [shown(e.value) for e in column_with(at, f"lc_p_amount_fen_{assessment}_0").error]
    assert errors == ["超过尚欠金额：应缴 135,000.00 元，尚欠 135,000.00 元"]
    assert count(reference_url, "levypayment") == 0
    at.text_input(key=f"lc_p_amount_fen_{assessment}_0").input("50000")
    next(b for b in at.button if b.label == "记录缴纳").click().run()
    assert rows(reference_url, "SELECT amount_fen FROM levypayment") == [{"amount_fen": 5_000_000}]
    assert [shown(t.value) for t in at.toast] == ["已记录缴纳：测试单位1 50,000.00 元"]
    assert any("尚欠 **85,000.00 元**" in m.value for m in at.markdown)


def test_quick_inspection_entry_keeps_the_campaign_and_the_date(reference_url):
    from data_layer.services import levy
    from tests.test_levy_services import ADMIN, county

    first, second = employer(reference_url, 1), employer(reference_url, 2)
    campaign = levy.create_campaign(
        db_url=reference_url,
        actor=ADMIN,
        county_id=county(reference_url),
        name="专项执法检查",
        document="源政办发〔2023〕44号",
        start_date=date(2023, 5, 20),
        end_date=date(2023, 6, 30),
    )
    at = page(reference_url, "levy_inspections")
    assert at.selectbox(key="in_campaign").value == campaign
    at.date_input(key="in_day").set_value(date(2023, 6, 5)).run()
    at.text_input(key="in_pick_0_q").input("测试单位1").run()
    assert at.selectbox(key="in_pick_0_id").value == first  # the only match is chosen
    at.radio(key="in_result_0").set_value("below")
    next(b for b in at.button if b.label == "保存").click().run()
    assert [shown(e.value) for e in at.error] == ["未达标或未申报的单位需要填写整改期限"]
    assert count(reference_url, "inspection") == 0
    at.date_input(key="in_follow_up_due_0").set_value(date(2023, 7, 5))
    next(b for b in at.button if b.label == "保存").click().run()
    assert not at.exception, at.exception
    saved = rows(reference_url, "SELECT employer_id, campaign_id, inspected_on, result, follow_up_due FROM inspection")
    assert saved == [
        {
            "employer_id": first,
            "campaign_id": campaign,
            "inspected_on": "2023-06-05",
            "result": "below",
            "follow_up_due": "2023-07-05",
        }
    ]
    assert [shown(t.value) for t in at.toast] == [
        f"已保存 #{1}：测试单位1（鲁村镇），专项执法检查，2023年6月5日 现场检查，未达标"
    ]
    assert at.selectbox(key="in_campaign").value == campaign
    assert at.date_input(key="in_day").value == date(2023, 6, 5)
    assert at.text_input(key="in_pick_1_q").value == ""  # ready for the next employer
    at.text_input(key="in_pick_1_q").input("测试单位2").run()
    next(b for b in at.button if b.label == "保存").click().run()
    assert [r["employer_id"] for r in rows(reference_url, "SELECT employer_id FROM inspection ORDER BY id")] == [
        first,
        second,
    ]


def test_an_administrator_sets_the_levy_year(reference_url):
    at = page(reference_url, "targets")
    at.selectbox(key="tg_levy_year").set_value(2023).run()
    task = next(t for t in at.text_input if t.label == "征收任务（元）")
    task.input("一百万")
    deadline = next(d for d in at.date_input if d.label.startswith("年审截止日期"))
    deadline.set_value(date(2023, 9, 30))
    next(b for b in at.button if b.label == "保存残保金年度设置").click().run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in column_with(at, task.key).error] == [
        "征收任务应填写以元为单位的数字，例如 1350 或 1350.50；“一百万”不是金额"
    ]
    assert count(reference_url, "levyyear") == 0
    next(t for t in at.text_input if t.label == "征收任务（元）").input("１，２５０，０００")
    next(b for b in at.button if b.label == "保存残保金年度设置").click().run()
    assert not at.exception, at.exception
    saved = rows(reference_url, "SELECT year, task_fen, review_deadline FROM levyyear")
    assert saved == [{"year": 2023, "task_fen": 125_000_000, "review_deadline": "2023-09-30"}]
    assert any("征收任务 1,250,000.00 元" in c.value for c in at.caption)
    assert next(t for t in at.text_input if t.label == "征收任务（元）").value == "1250000"  # typed back plainly


def test_a_roster_line_without_category_and_grade_names_both_beside_their_fields(reference_url):
    review = notified(reference_url, employer(reference_url, 1))
    at = page(reference_url, "levy_reviews", record=review)
    number = pid(7)
    at.text_input(key=f"rv_p_name_{review}_0").input("测试职工7")
    at.text_input(key=f"rv_p_id_number_{review}_0").input(number)
    at.text_input(key=f"rv_p_cert_number_{review}_0").input(number + "44")
    next(b for b in at.button if b.label == "加入名册").click().run()
    category = column_with(at, f"rv_p_category_{review}_0", "selectbox")
    grade = column_with(at, f"rv_p_grade_{review}_0", "selectbox")
    assert [shown(e.value) for e in category.error] == ["请选择残疾类别（视力、听力、言语、肢体、智力、精神、多重）"]
    assert [shown(e.value) for e in grade.error] == ["残疾等级应为一至四级"]
    assert count(reference_url, "rosterperson") == 0


def test_the_batch_shows_its_dry_run_then_commits(reference_url):
    from tests.test_levy_services import EXPECTED_FEN, assessment_store

    assessment_store(reference_url)
    at = page(reference_url, "levy_collection")
    at.segmented_control(key="lc_section").set_value("batch").run()
    at.date_input(key="lc_b_assessed_on").set_value(date(2023, 10, 10))
    at.date_input(key="lc_b_due_on").set_value(date(2023, 11, 30))
    next(b for b in at.button if b.label == "试算（不保存）").click().run()
    assert not at.exception, at.exception
    total = sum(EXPECTED_FEN.values())  # 50,000 + 135,000 + 177,120 元, computed by hand in test_levy_services
    assert any(f"3 家单位，合计应缴 {total / 100:,.2f} 元" in m.value for m in at.markdown)
    plan = next(d.value for d in at.dataframe if "应缴金额" in d.value.columns)
    assert sorted(plan["单位"]) == sorted(EXPECTED_FEN)
    assert count(reference_url, "levyassessment") == 0  # a dry run writes nothing
    at.button(key="lc_b_commit").click().run()
    assert not at.exception, at.exception
    saved = rows(reference_url, "SELECT assessed_on, due_on, amount_fen FROM levyassessment")
    assert sorted(r["amount_fen"] for r in saved) == sorted(EXPECTED_FEN.values())
    assert {(r["assessed_on"], r["due_on"]) for r in saved} == {("2023-10-10", "2023-11-30")}
    assert [shown(t.value) for t in at.toast] == [f"已核定 3 家单位，合计 {total / 100:,.2f} 元"]


def test_a_township_officer_sees_only_their_townships_reviews(reference_url):
    from tests.test_levy_services import township

    own = notified(reference_url, employer(reference_url, 1, town="鲁村镇"))
    other = notified(reference_url, employer(reference_url, 2, town="南麻街道"))
    officer = dict(role="township", areas=("levy",), who="鲁村干事", township=("鲁村镇", township(reference_url)))
    at = page(reference_url, "levy_reviews", **officer)
    listed = next(d.value for d in at.dataframe if "单位" in d.value.columns)
    assert list(listed["单位"]) == ["测试单位1"]
    at = page(reference_url, "levy_reviews", record=other, **officer)
    assert [shown(e.value) for e in at.error] == [f"年审记录 {other} 不存在或不属于本乡镇"]
    assert not [s for s in at.subheader if "测试单位2" in s.value]
    at = page(reference_url, "levy_reviews", record=own, **officer)
    assert [s.value for s in at.subheader] == ["测试单位1"]


def test_an_unmasked_roster_is_offered_to_an_administrator_only_after_it_is_audited(reference_url):
    review, line = a_review_with_a_roster(reference_url)
    at = page(reference_url, "levy_reviews", record=review)
    assert [d.label for d in at.get("download_button")] == ["导出名册（Excel，证件号已遮盖）"]
    at.checkbox(key=f"rv_roster_{review}_full").check().run()
    assert count(reference_url, "filelog") == 0  # ticking alone writes nothing and offers nothing
    at.button(key=f"rv_roster_{review}_go").click().run()
    assert not at.exception, at.exception
    logged = rows(reference_url, "SELECT kind, actor, rows FROM filelog")
    assert logged == [{"kind": "export.roster_unmasked", "actor": "王管理", "rows": 1}]
    assert "下载完整名册（Excel）" in [d.label for d in at.get("download_button")]
    staff = page(reference_url, "levy_reviews", role="staff", areas=("levy",), record=review)
    assert not [c for c in staff.checkbox if c.key == f"rv_roster_{review}_full"]


def test_an_open_finding_is_closed_from_its_link(reference_url):
    from data_layer.services import levy
    from tests.test_levy_services import ADMIN, TODAY

    inspection = services_for(levy.INSPECTION).create(
        db_url=reference_url,
        actor=ADMIN,
        values=dict(
            employer_id=employer(reference_url, 1),
            campaign_id=None,
            inspected_on=date(2023, 6, 1),
            mode="onsite",
            result="undeclared",
            follow_up_due=date(2023, 7, 1),
        ),
        today=TODAY,
    )
    at = page(reference_url, "levy_inspections", record=inspection)
    open_list = next(d.value for d in at.dataframe if "是否逾期" in d.value.columns)
    assert list(open_list["是否逾期"]) == ["已逾期"] and list(open_list["结果"]) == ["未申报"]
    at.date_input(key=f"in_close_closed_on_{inspection}_0").set_value(date(2023, 5, 31))
    next(b for b in at.button if b.label == "办结").click().run()
    assert [shown(e.value) for e in at.error] == ["办结日期不能早于检查日期"]
    at.date_input(key=f"in_close_closed_on_{inspection}_0").set_value(date(2023, 6, 28))
    next(b for b in at.button if b.label == "办结").click().run()
    assert rows(reference_url, "SELECT closed_on FROM inspection") == [{"closed_on": "2023-06-28"}]
    assert [shown(t.value) for t in at.toast] == ["已办结：测试单位1"]
    assert any("没有未办结的整改" in shown(c.value) for c in at.caption)


def test_a_declaration_is_corrected_and_a_roster_line_deleted_and_restored_through_the_page(reference_url):
    review, line = a_review_with_a_roster(reference_url)
    person = rows(reference_url, "SELECT id FROM rosterperson")[0]["id"]
    at = page(reference_url, "levy_reviews", record=review)
    at.text_input(key=f"rv_fix_staff_{review}_0").input("130")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert not at.exception, at.exception
    assert review_row(reference_url, review)["staff"] == 130
    assert [shown(t.value) for t in at.toast] == [f"已修改 #{review}"]
    at.selectbox(key=f"rv_line_0_{review}").select(person).run()
    at.button(key=f"rv_line_delete_{person}").click().run()
    assert not at.exception, at.exception
    assert rows(reference_url, "SELECT deleted_at IS NOT NULL AS gone FROM rosterperson") == [{"gone": 1}]
    assert any("名册为空" in c.value for c in at.caption)
    at.selectbox(key=f"rv_line_1_{review}").select(person).run()  # the roster's 回收站
    at.button(key=f"rv_line_restore_{person}").click().run()
    assert not at.exception, at.exception
    assert list(roster_table(at)["身份证号"]) == [line["id_number"]]
    history = next(d.value for d in at.dataframe if "办理" in d.value.columns)
    assert "修改申报" in list(history["办理"])


def test_an_inspection_is_corrected_deleted_and_restored_on_its_page(reference_url):
    from data_layer.services import levy
    from tests.test_levy_services import ADMIN, TODAY

    values = dict(
        employer_id=employer(reference_url, 1),
        campaign_id=None,
        inspected_on=date(2023, 6, 1),
        mode="onsite",
        result="meets",
    )
    inspection = services_for(levy.INSPECTION).create(db_url=reference_url, actor=ADMIN, values=values, today=TODAY)
    at = page(reference_url, "levy_inspections", record=inspection)
    at.text_area(key=f"in_e_finding_{inspection}_0").input("已补充申报材料")
    at.selectbox(key=f"in_e_result_{inspection}_0").set_value("below")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert [shown(e.value) for e in at.error] == ["未达标或未申报的单位需要填写整改期限"]  # beside its field
    assert rows(reference_url, "SELECT result, finding FROM inspection") == [{"result": "meets", "finding": ""}]
    at.selectbox(key=f"in_e_result_{inspection}_0").set_value("meets")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert not at.exception, at.exception
    assert rows(reference_url, "SELECT finding FROM inspection") == [{"finding": "已补充申报材料"}]
    assert [shown(t.value) for t in at.toast] == [f"已修改 #{inspection}"]
    at.button(key=f"in_e_delete_{inspection}").click().run()
    assert rows(reference_url, "SELECT deleted_at IS NOT NULL AS gone FROM inspection") == [{"gone": 1}]
    assert any(e.label.startswith("回收站（已删除 1 条）") for e in at.expander)
    assert any("共 **0** 次" in m.value or "共 0 次" in shown(m.value) for m in at.markdown)  # out of the count
    at.button(key=f"in_e_restore_{inspection}").click().run()
    assert rows(reference_url, "SELECT deleted_at IS NULL AS kept FROM inspection") == [{"kept": 1}]
    assert [shown(t.value) for t in at.toast] == [f"已恢复 #{inspection}"]


def test_a_payment_is_corrected_deleted_and_restored_and_never_overpays(reference_url):
    from tests.test_levy_services import pay

    assessment, _ = one_assessment(reference_url)
    payment = pay(reference_url, assessment, 50_000_00)
    at = page(reference_url, "levy_collection", record=assessment)
    at.session_state["lc_pay_open"] = payment  # a row picked in the payments' table
    at.run()
    at.text_input(key=f"lc_pe_amount_fen_{payment}_0").input("１３５０００．０１")  # full-width, one fen too many
    next(b for b in at.button if b.label == "保存修改").click().run()
    errors = [shown(e.value) for e in column_with(at, f"lc_pe_amount_fen_{payment}_0").error]
    assert errors == ["超过尚欠金额：应缴 135,000.00 元，尚欠 135,000.00 元"]  # its own amount does not count
    at.text_input(key=f"lc_pe_amount_fen_{payment}_0").input("40000")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert rows(reference_url, "SELECT amount_fen FROM levypayment") == [{"amount_fen": 40_000_00}]
    assert any("尚欠 **95,000.00 元**" in m.value for m in at.markdown)
    at.button(key=f"lc_pe_delete_{payment}").click().run()
    assert any("尚欠 **135,000.00 元**" in m.value for m in at.markdown)  # a deleted payment pays nothing
    assert any(e.label.startswith("回收站（已删除 1 笔）") for e in at.expander)
    at.button(key=f"lc_pe_restore_{payment}").click().run()
    assert any("尚欠 **95,000.00 元**" in m.value for m in at.markdown)
    assert [shown(t.value) for t in at.toast] == [f"已恢复 #{payment}"]


def test_an_assessment_is_corrected_and_not_deleted_while_it_has_payments(reference_url):
    from data_layer.services import levy_collection
    from tests.test_levy_services import ADMIN, pay

    assessment, _ = one_assessment(reference_url)
    payment = pay(reference_url, assessment, 10_000_00)
    at = page(reference_url, "levy_collection", record=assessment)
    at.date_input(key=f"lc_ae_due_on_{assessment}_0").set_value(date(2023, 12, 15))
    next(b for b in at.button if b.label == "保存修改" and "lc_ae_form" in str(b.proto.id)).click().run()
    assert not at.exception, at.exception
    assert rows(reference_url, "SELECT due_on FROM levyassessment") == [{"due_on": "2023-12-15"}]
    at.button(key=f"lc_ae_delete_{assessment}").click().run()
    assert any("不能删除" in shown(e.value) for e in at.error)  # its payment first
    assert rows(reference_url, "SELECT deleted_at FROM levyassessment") == [{"deleted_at": None}]
    services_for(levy_collection.PAYMENT).delete(db_url=reference_url, actor=ADMIN, record_id=payment)
    at.button(key=f"lc_ae_delete_{assessment}").click().run()
    assert rows(reference_url, "SELECT deleted_at IS NOT NULL AS gone FROM levyassessment") == [{"gone": 1}]
    at.button(key=f"lc_ae_restore_{assessment}").click().run()
    assert rows(reference_url, "SELECT deleted_at IS NULL AS kept FROM levyassessment") == [{"kept": 1}]


def test_a_link_to_a_record_number_beyond_every_table_opens_nothing(reference_url):
    for module in ("entry_projects", "levy_collection", "levy_inspections", "levy_reviews", "levy_registry"):
        at = page(reference_url, module, record="99999999999999999999")  # asserts no exception
        assert not at.error, (module, [e.value for e in at.error])
