"""The errors a write service raises: bad input, values to confirm, a grid with problem rows."""

from __future__ import annotations

from dataclasses import dataclass, field


class ValidationFailed(ValueError):
    """Bad input; nothing was written. ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(f"{msg}" for msg in self.errors.values()))


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


class NeedsConfirmation(ValueError):
    """Suspicious but possible input: nothing was written; save again with ``confirm=True``.

    ``warnings`` maps a check code to its message, so a form can show each and ask once.
    """

    def __init__(self, warnings: dict[str, str]):
        self.warnings = dict(warnings)
        super().__init__("；".join(self.warnings.values()))


@dataclass
class RowProblems:
    """What is wrong with one row of a grid: errors block the save, warnings need confirming."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)


class GridRejected(ValueError):
    """Some rows of a grid have problems; nothing was written. ``problems`` maps row index → problems."""

    def __init__(self, problems: dict[int, RowProblems]):
        self.problems = problems
        super().__init__(f"{len(problems)} 行有问题")
