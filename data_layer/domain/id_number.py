"""身份证号 (GB 11643-1999) and the second-generation 残疾人证号, and how either is shown masked.

Both are personal data: the store keeps them whole, a page shows ``mask(...)`` to every account but one
that enters the levy area (data_layer/roles.py), and no export holds them unless an administrator asks.
"""

from __future__ import annotations

from datetime import date

from data_layer.domain.inputs import code_text

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"  # ISO 7064 MOD 11-2: the remainder's check character
CATEGORIES = {1: "视力", 2: "听力", 3: "言语", 4: "肢体", 5: "智力", 6: "精神", 7: "多重"}
GRADES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}


def check_char(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_problem(number: str) -> str | None:
    """What is wrong with an 18-character ID number, in words, or None."""
    if not isinstance(number, str) or len(number) != 18:
        return "身份证号应为 18 位"
    digits = number[:17]
    if not (digits.isascii() and digits.isdigit()) or number[17] not in "0123456789X":
        return "身份证号前 17 位应为数字，最后一位为数字或 X"
    if birth_date(number) is None:
        return "身份证号中的出生日期不存在"
    if check_char(number[:17]) != number[17]:
        return "身份证号校验位不对，请核对"
    return None


def normalize(number: object) -> str:
    """As typed or imported, read as meant: full-width digits and letters as ordinary ones (NFKC: “１” is 1, “ｘ”
    is X), every space gone, letters upper case. Every path (forms, imports, services) reads numbers so, so one
    person is one number however it was typed."""
    return code_text(number)


def cert_problem(cert: str, id_number: str, category: int | None = None, grade: int | None = None) -> str | None:
    """The certificate number must be the ID number plus the category digit and the grade digit."""
    if not isinstance(cert, str) or len(cert) != 20:
        return "残疾人证号应为 20 位（身份证号加两位类别、等级）"
    if cert[:18] != id_number:
        return "残疾人证号前 18 位应与身份证号一致"
    tail = cert[18:]
    if not (tail.isascii() and tail.isdigit()) or int(tail[0]) not in CATEGORIES or int(tail[1]) not in GRADES:
        return "残疾人证号最后两位应为残疾类别（1–7）和等级（1–4）"
    if category is not None and int(cert[18]) != category:
        return f"残疾人证号中的类别（{CATEGORIES[int(cert[18])]}）与所填类别不一致"
    if grade is not None and int(cert[19]) != grade:
        return f"残疾人证号中的等级（{GRADES[int(cert[19])]}）与所填等级不一致"
    return None


def mask(number: str) -> str:
    """370323********1234 for an ID number; the certificate keeps its last two digits too."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """张** : the family name only."""
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def make(first17: str) -> str:
    """A valid number from 17 digits (the demo's synthetic people)."""
    return first17 + check_char(first17)


# The columns that hold personal data, per table, and how each is shown to those who may not see it.
PERSONAL_FIELDS = {"rosterperson": {"name": mask_name, "id_number": mask, "cert_number": mask}}
