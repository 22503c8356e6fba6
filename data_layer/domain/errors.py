"""How a write service says what is wrong: errors per field, warnings per rule, problems per grid row.

One shape everywhere: a form shows ``errors`` beside their fields and asks to confirm
``warnings``; a grid shows each row's ``Problems`` in that row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The words for a service's fields, where a message names one that the form does not show beside it.
FIELD_LABELS = {
    "actor": "录入人",
    "note": "备注",
    "warning_note": "核实说明",
    "item_id": "指标",
    "project_id": "重点工程",
    "township_id": "乡镇（街道）",
    "county_id": "县区",
    "type_id": "补贴类型",
    "entry_id": "记录",
    "disbursement_id": "记录",
    "record_id": "记录",
    "entry_date": "日期",
    "quantity": "数量",
    "amount_fen": "金额",
    "recipients": "人（户）数",
    "standard_fen": "标准",
    "paid_date": "发放日期",
    "month_from": "所属月份",
    "month_to": "所属月份",
    "effective_from": "生效日期",
    "name": "名称",
    "code": "代码",
    "unit": "计量单位",
    "year": "年度",
    "target": "目标",
    "annual_target": "年度目标",
    "budget_fen": "预算",
    "unit_cost_min_fen": "合理单价下限",
    "unit_cost_max_fen": "合理单价上限",
    "kind": "类型",
    "payment": "发放方式",
    "standard_basis": "标准口径",
    "measure": "计量方式",
    "scope": "范围",
    "sort_order": "排序",
    "active": "是否启用",
    "credit_code_": "统一社会信用代码",
    "staff": "职工人数",
    "disabled_staff": "残疾职工人数",
    "avg_wage_fen": "平均工资",
    "title": "标题",
    "url": "链接",
    "published_on": "发表日期",
    "outlet_id": "媒体",
    "indicator_id": "指标",
    "employer_id": "用人单位",
    "campaign_id": "执法检查",
    "value": "数值",
    "behind": "滞后阈值",
    "far_behind": "严重滞后阈值",
    "targets": "目标",
    "confirm": "确认",
    "today": "当天日期",
    "is_demo": "演示标记",
    "values": "录入内容",
    "rows": "表格",
    "shared": "表格",
    # the other columns, as the audit view names them (操作记录: fields before → after)
    "above_designated_size": "规模以上",
    "account_id": "账号",
    "area": "领域",
    "areas": "可录入领域",
    "assessed_on": "核定日期",
    "assessment_id": "核定记录",
    "audit_id": "操作记录",
    "category": "类别",
    "checks": "核对规则",
    "credit_code": "统一社会信用代码",
    "display_name": "姓名",
    "document": "文件",
    "end_date": "结束日期",
    "exempt_max_staff": "免征人数上限",
    "finding": "结论",
    "inspected_on": "检查日期",
    "item": "事项",
    "key": "设置项",
    "level": "级别",
    "link": "链接",
    "local_avg_wage_fen": "当地平均工资",
    "locked_at": "结账时间",
    "locked_by": "结账人",
    "medium": "媒介",
    "metric": "指标",
    "metric_rule": "口径",
    "mode": "方式",
    "month": "月份",
    "notified_on": "通知日期",
    "paid_on": "缴纳日期",
    "period": "期间",
    "period_end": "期末",
    "period_start": "期初",
    "quota_ratio": "安排比例",
    "quote": "原文",
    "reason": "原因",
    "registered_on": "登记日期",
    "reviewed_on": "审核日期",
    "role": "角色",
    "section": "章节",
    "size_class": "企业规模",
    "source": "出处",
    "start_date": "开始日期",
    "tier_high_share": "高档比例",
    "tier_low_share": "低档比例",
    "tier_ratio": "分档比例",
    "username": "用户名",
    "value_printed": "原文数值",
    "value_used": "采用值",
    "wage_cap_multiple": "工资上限倍数",
    "why_differs": "差异说明",
    "failures": "连续失败次数",
    "locked_until": "锁定至",
    # levy enforcement
    "task_fen": "征收任务",
    "review_deadline": "年审截止日期",
    "status": "状态",
    "declared_on": "申报日期",
    "return_reason": "退回原因",
    "resubmissions": "重新申报次数",
    "review_id": "年审记录",
    "id_number": "身份证号",
    "cert_number": "残疾人证号",
    "grade": "残疾等级",
    "contract_ok": "劳动合同一年以上",
    "insurance_ok": "足额缴纳社保",
    "months": "在岗月数",
    "result": "检查结果",
    "inspectors": "检查人员",
    "follow_up_due": "整改期限",
    "closed_on": "办结日期",
    "due_on": "缴纳期限",
    "disabled_weighted": "折算残疾职工人数",
    "basis": "核定依据",
    "updated_at": "修改时间",
    "file_name": "文件名",
    "first_used_on": "首次使用日期",
    "person_id": "名册人员",
    "inspection_id": "检查记录",
    "employer_ids": "用人单位",
    "data_as_of": "数据截止时间",
}


def label_of(field: str) -> str:
    return FIELD_LABELS.get(field, "这一项")


class ValidationFailed(ValueError):
    """Bad input; nothing was written. ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(f"{msg}" for msg in self.errors.values()))


class NeedsConfirmation(ValueError):
    """Suspicious but possible input: nothing was written; save again with ``confirm=True``.

    ``warnings`` maps a rule's code to its message, so a form can show each and ask once.
    """

    def __init__(self, warnings: dict[str, str]):
        self.warnings = dict(warnings)
        super().__init__("；".join(self.warnings.values()))


@dataclass
class Problems:
    """What is wrong with one record: errors block the save, warnings need confirming."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.errors or self.warnings)

    def text(self) -> str:
        """Every message on one line (a grid's 问题 column)."""
        return "；".join([*self.errors.values(), *self.warnings.values()])

    def raise_for(self, confirm: bool) -> None:
        """Errors always stop a save; warnings stop it until the user confirms them."""
        if self.errors:
            raise ValidationFailed(self.errors)
        if self.warnings and not confirm:
            raise NeedsConfirmation(self.warnings)


class Checks:
    """Collects field errors, then raises them together so a form can show each beside its field."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def require(self, ok: object, field: str, message: str) -> bool:
        if not ok and field not in self.errors:
            self.errors[field] = message
        return bool(ok)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


class StoreUnavailable(RuntimeError):
    """The store could not take a write (busy, read-only, full, gone): nothing was saved; the typed values
    stay in the form and the user can try again. ``message`` says what happened, in Chinese."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class GridRejected(ValueError):
    """Some rows of a grid have problems; nothing was written. ``problems`` maps row index → problems."""

    def __init__(self, problems: dict[int, Problems]):
        self.problems = problems
        super().__init__(f"{len(problems)} 行有问题")
