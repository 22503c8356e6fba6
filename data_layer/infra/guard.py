"""A store that vanished or was replaced under the running app: notice it, refuse to write, never re-seed.

Why: if the data folder is deleted while the app runs, SQLite keeps writing into the deleted file (every
save says 已保存 and is lost), and on the next start the app would find no store and build a fresh demo.
So this module remembers (1) which file this process opened, by its inode, and (2) in a small ledger
beside the data folder, which stores have ever held entered data, by a random id kept in the store.
A store that held entered data and is now missing or different is never replaced by a demo.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from data_layer.infra import settings

STORE_ID = "store.id"  # the appsetting row that names a store
VANISHED = (
    "数据库文件不见了，或被换成了另一个文件（可能数据文件夹被删除、移走或覆盖）。"
    "为保护数据，系统已停止保存：本次没有保存。请联系管理员从备份恢复。"
)

_opened: dict[str, tuple[int, int] | None] = {}
_marked: set[str] = set()
_lock = threading.Lock()


class StoreVanished(RuntimeError):
    """The store this URL pointed at, which held entered data, is missing or was replaced."""


def sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database.removeprefix("file:"))


def _fingerprint(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def opened(url: str) -> None:
    """Remember the file this process works on (called when the engine is created)."""
    path = sqlite_file(url)
    if path is not None:
        with _lock:
            _opened[url] = _fingerprint(path)


def forget() -> None:
    with _lock:
        _opened.clear()
        _marked.clear()


def intact(url: str) -> bool:
    """False when the SQLite file this process opened is gone or is another file now."""
    path = sqlite_file(url)
    if path is None or url not in _opened:
        return True
    seen = _opened[url]
    return seen is None or _fingerprint(path) == seen


# --- the ledger of stores that hold entered data ----------------------------------------------------


def ledger_path() -> Path:
    """Beside the data folder, so deleting the folder does not delete the memory of what was in it."""
    return Path(os.environ.get("DPF_LEDGER") or settings.data_dir().parent / ".dpf-stores.json")


def _key(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _read() -> dict[str, str]:
    try:
        return json.loads(ledger_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def expected_id(url: str) -> str | None:
    """The id of the store with entered data that this URL held, if any."""
    return _read().get(_key(url))


def marked(url: str) -> bool:
    """This process has recorded already that the store at ``url`` holds entered data."""
    return url in _marked


def remember(url: str, store_id: str) -> None:
    """Record that the store at ``url`` (named ``store_id``) holds entered data; once per process."""
    if url in _marked:
        return
    entries = _read()
    if entries.get(_key(url)) != store_id:
        entries[_key(url)] = store_id
        path = ledger_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
        temporary.replace(path)
    _marked.add(url)


def accept(url: str, store_id: str | None) -> None:
    """An administrator's decision that the store now at ``url`` is the right one (``accept-store``)."""
    entries = _read()
    entries.pop(_key(url), None)
    if store_id:
        entries[_key(url)] = store_id
    path = ledger_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    _marked.discard(url)


def new_id() -> str:
    return uuid.uuid4().hex
