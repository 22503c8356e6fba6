"""Stores shared by the tests of one module (or class) that only read them: copying a seeded store costs time.

``shared_store(request, tmp_path_factory, kind)`` gives a private copy of the demo or reference store on the
engine of ``request.param`` that lives as long as the fixture that asks for it; ``setup(url)``, when given,
writes once into the copy (bad rows written around the services) before any test reads it."""

from __future__ import annotations

from collections.abc import Callable

from data_layer.infra.db import dispose_engines
from tests.conftest import _copy


def shared_store(request, tmp_path_factory, kind: str, setup: Callable[[str], None] | None = None):
    """A generator for a module- or class-scoped fixture parametrized over ``ENGINES``."""
    if request.param == "sqlite":
        url = _copy(request.getfixturevalue(f"{kind}_template"), tmp_path_factory.mktemp(f"shared_{kind}"))
        server = None
    else:
        request.getfixturevalue("postgres_templates")
        server = request.getfixturevalue("postgres")
        url = server.clone(f"tpl_{kind}")
    if setup is not None:
        setup(url)
    yield url
    dispose_engines()
    if server is not None:
        server.drop(url)


def write_sql(url: str, statements: list[str]) -> None:
    """Raw statements into a shared store's copy, around the services (rows they would refuse), in one commit."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            for sql in statements:
                conn.execute(sql)
        return
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        for sql in statements:
            conn.execute(sql)
