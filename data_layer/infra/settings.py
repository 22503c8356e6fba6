"""Where the store lives: one place that reads the environment."""

from __future__ import annotations

import os
from datetime import timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CHINA = timezone(timedelta(hours=8))  # the office's clock: Beijing time (no daylight saving); the store keeps UTC


def data_dir() -> Path:
    """The folder for the embedded SQLite file (``DPF_DATA_DIR``, default ``./data``)."""
    return Path(os.environ.get("DPF_DATA_DIR") or REPO_ROOT / "data")


def database_url() -> str:
    """``DATABASE_URL`` if set, else a SQLite file in the data folder (created on demand)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # SQLAlchemy 2.1 maps postgresql:// to psycopg 3 already; say so explicitly anyway.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        return url
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'dpf.sqlite3'}"


def write_wait_seconds() -> float:
    """How long a save waits for another writer's lock before it says the store is busy (``DPF_WRITE_WAIT``)."""
    return float(os.environ.get("DPF_WRITE_WAIT") or 15)


def pool_size() -> tuple[int, int]:
    """PostgreSQL connections each app process keeps open, and how many more it may open at a peak
    (``DPF_POOL_SIZE``, ``DPF_POOL_OVERFLOW``): processes × (size + overflow) must stay under the server's
    ``max_connections``."""
    return int(os.environ.get("DPF_POOL_SIZE") or 5), int(os.environ.get("DPF_POOL_OVERFLOW") or 10)
