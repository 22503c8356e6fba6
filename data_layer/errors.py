"""The error a write service raises when input is bad: one Chinese message per field."""

from __future__ import annotations


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
