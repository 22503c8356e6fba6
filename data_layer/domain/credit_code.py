"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from __future__ import annotations

from data_layer.domain.inputs import code_text

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code, characters 9–17


def check_char(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    """The organisation code's own check character (9th of its 9)."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalize(code: object) -> str:
    """As typed or imported, read as meant: full-width digits and letters as ordinary ones, spaces gone, upper case."""
    return code_text(code)


def is_valid(code: str) -> bool:
    """True for an 18-character code from the alphabet whose check character matches."""
    if not isinstance(code, str) or len(code) != 18 or any(c not in ALPHABET for c in code):
        return False
    return check_char(code[:17]) == code[17]


def make(registration: str, division: str, org8: str) -> str:
    """Build a valid code: registration authority + type (2), division (6), org code body (8)."""
    org = org8 + org_check_char(org8)
    body = registration + division + org
    if "X" in org:  # X is not in the 31-character alphabet of the full code
        raise ValueError("organisation check character X cannot appear in a credit code")
    return body + check_char(body)
