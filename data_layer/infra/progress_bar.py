"""A progress bar for long commands (a province seed runs for minutes): one line redrawn in a terminal, a line
every tenth of the way in a log file."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    def __init__(self, what: str, stream: TextIO | None = None):
        self.what, self.stream = what, stream or sys.stdout
        self.started = time.perf_counter()
        self.tty = self.stream.isatty()
        self.last_tenth = -1

    def __call__(self, done: int, total: int, name: str = "") -> None:
        share = done / total if total else 1.0
        spent = time.perf_counter() - self.started
        left = spent / share - spent if share > 0 else 0.0
        filled = round(share * WIDTH)
        line = (
            f"[{'#' * filled}{'-' * (WIDTH - filled)}] {done}/{total} {self.what}"
            f"  用时 {spent:.0f} 秒，预计还需 {left:.0f} 秒  {name}"
        )
        if self.tty:
            self.stream.write("\r" + line + "\033[K" + ("\n" if done >= total else ""))
        elif (tenth := int(share * 10)) != self.last_tenth or done >= total:
            self.last_tenth = tenth
            self.stream.write(line + "\n")
        self.stream.flush()
