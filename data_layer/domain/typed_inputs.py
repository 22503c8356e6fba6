"""What every write service receives, checked once before it runs: the types its signature declares
(a strict pydantic model built from the signature), and text normalised (NFC, trimmed) with control
characters refused. A wrong type or a stray control character is a Chinese message on the field,
never an AttributeError deep inside a service or a NUL byte that PostgreSQL refuses and SQLite keeps.
"""

from __future__ import annotations

import contextlib
import inspect
import typing
import unicodedata
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from pydantic import ConfigDict, ValidationError, create_model

from data_layer.domain.errors import FIELD_LABELS, ValidationFailed, label_of
from data_layer.domain.limits import MAXIMUM

_SKIP = {"session", "db_url"}  # the transaction is the caller's, not input
_ALLOWED_FORMAT = {"\u200d"}  # the zero-width joiner inside emoji sequences
_WORDS = {
    "int_type": "应填写整数",
    "int_from_float": "应填写整数",
    "bool_type": "应为“是”或“否”",
    "string_type": "应填写文字",
    "date_type": "应填写日期",
    "datetime_type": "应填写日期和时间",
    "dict_type": "格式不对",
    "list_type": "格式不对",
    "missing": "请填写",
}


INT32_MAX, INT64_MAX = 2**31 - 1, 2**63 - 1
_wide: set[str] = set()  # the names of 64-bit integer columns besides record numbers (the rest are 32-bit)


def widen(names: set[str]) -> None:
    """The integer columns that hold 64 bits (data_layer/services/_core.py names them from the models)."""
    _wide.update(names)


def _is_record_number(name: object) -> bool:
    """A record's number (``id``, ``record_id``, ``pack_id``…): every key is 64-bit (migration 0017)."""
    return name == "id" or str(name).endswith("_id")


def _in_range(values: dict[str, Any], errors: dict[str, str], *, nested: bool = False) -> None:
    """Every whole number within its column (a 32-bit one unless ``widen`` named it): 2³¹ as a record's number
    or 2⁴⁰ as a sort order is refused in Chinese on both engines, never a driver's English error. Inside a mapping
    (a record's values, a grid's rows) the fields are checked; a mapping keyed by other things (targets by level)
    is the service's to check, in its own words."""
    for name, value in values.items():
        if isinstance(value, dict):
            _in_range(value, errors, nested=True)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _in_range(item, errors, nested=True)
        elif isinstance(value, int) and not isinstance(value, bool):
            if name in MAXIMUM:  # a hard limit of its own, far inside the column, says it in its words
                continue
            if nested and not (name in FIELD_LABELS or name in _wide or _is_record_number(name)):
                continue
            top = INT64_MAX if name in _wide or _is_record_number(name) else INT32_MAX
            if not -top - 1 <= value <= top:
                errors.setdefault(name, f"{label_of(name)}超出允许的范围")


@cache
def _model(fn: Callable) -> tuple[type, frozenset[str]]:
    """A strict model of ``fn``'s keyword arguments (built once per service)."""
    hints = typing.get_type_hints(fn)
    fields: dict[str, Any] = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name in _SKIP or param.kind is not inspect.Parameter.KEYWORD_ONLY or name not in hints:
            continue
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[name] = (hints[name], default)
    config = ConfigDict(strict=True, arbitrary_types_allowed=True)
    return create_model(f"{fn.__name__}_input", __config__=config, **fields), frozenset(fields)


def plain(value: Any) -> Any:
    """NumPy and pandas scalars (from a query's frame) as the Python values they stand for."""
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        return value.item()
    if isinstance(value, datetime) and type(value).__module__.startswith("pandas"):
        return value.to_pydatetime()
    return value


def clean_text(value: Any, field: str, errors: dict[str, str]) -> Any:
    """Text trimmed and in NFC; other values as they are (inside dicts and lists too)."""
    if isinstance(value, dict):
        return {k: clean_text(v, k, errors) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_text(v, field, errors) for v in value]
    value = plain(value)
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value).strip()
    hidden = [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in _ALLOWED_FORMAT]
    if hidden:
        shown = "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in hidden))
        errors.setdefault(field, f"{label_of(field)}含有看不见的控制字符（{shown}），请删去后再保存")
    return text


def checked(fn: Callable, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` cleaned and type-checked against ``fn``'s signature; raises ``ValidationFailed``."""
    errors: dict[str, str] = {}
    cleaned = {k: v if k in _SKIP else clean_text(v, k, errors) for k, v in kwargs.items()}
    _type_check(fn, cleaned, errors, partial=False)
    return cleaned


def _type_check(fn: Callable, cleaned: dict[str, Any], errors: dict[str, str], *, partial: bool) -> None:
    """Each value against ``fn``'s keyword's type (strict); raises ``ValidationFailed`` with ``errors`` and the
    type problems in words. ``partial``: a keyword left out is not asked for."""
    model, names = _model(fn)
    try:
        model.model_validate({k: v for k, v in cleaned.items() if k in names})
    except ValidationError as exc:
        for problem in exc.errors():
            if partial and problem["type"] == "missing":
                continue
            field = str(problem["loc"][0]) if problem["loc"] else "input"
            words = _WORDS.get(problem["type"], "格式不对")
            message = f"请填写{label_of(field)}" if problem["type"] == "missing" else f"{label_of(field)}{words}"
            errors.setdefault(field, message)
    _in_range(cleaned, errors)
    if errors:
        raise ValidationFailed(errors)


def checked_fields(fn: Callable, values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """A record's ``values`` cleaned and type-checked against the fields ``fn`` declares; with ``partial`` the fields
    left out are not asked for (a correction names only what changes). Raises ``ValidationFailed``."""
    errors: dict[str, str] = {}
    cleaned = {k: clean_text(v, k, errors) for k, v in values.items()}
    _type_check(fn, cleaned, errors, partial=partial)
    return cleaned


def readable_fields(fn: Callable, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """One row among many (a file's): its values cleaned and type-checked against ``fn``'s fields as
    ``checked_fields(partial=True)``, the errors returned rather than raised, and the fields they name left out, so
    the row's rules see only what could be read and a file's other rows are still checked. A None (an empty cell)
    is left to the rules, which ask for it in their words."""
    errors: dict[str, str] = {}
    cleaned = {k: clean_text(v, k, errors) for k, v in values.items()}
    with contextlib.suppress(ValidationFailed):  # the errors are in ``errors``
        _type_check(fn, {k: v for k, v in cleaned.items() if v is not None}, errors, partial=True)
    return {k: v for k, v in cleaned.items() if k not in errors}, errors
