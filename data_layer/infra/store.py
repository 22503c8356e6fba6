"""Start-up and maintenance of a store: migrate, seed, reset."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel

from data_layer import auth
from data_layer.infra import audit, guard, migrate, store_identity
from data_layer.infra.cache import clear_reads
from data_layer.infra.db import dispose_engines, get_engine, session_scope
from data_layer.models import AppSetting


def is_empty(url: str) -> bool:
    """True when the store has no county yet (a fresh install)."""
    from seeds.demo import any_county

    with Session(get_engine(url)) as session:
        return not any_county(session)


def seed(
    url: str,
    *,
    demo: bool = True,
    scale: str = "county",
    counties: int | None = None,
    progress: Callable | None = None,
) -> None:
    """Load the reference data (the county, its townships and projects), the report's figures and,
    with ``demo``, the generated demo records, in one transaction (``counties``: only the first N of the scale)."""
    from seeds.demo import seed_demo
    from seeds.reference import home_county, load_county, load_publicity_targets, load_report_figures, load_shared

    if not is_empty(url):
        raise RuntimeError("数据库已有数据；如需重新生成演示数据，请先执行 reset --yes")
    with session_scope(url) as session:
        shared = load_shared(session)
        load_report_figures(session)
        home = load_county(session, **home_county())
        load_publicity_targets(session, home.county_id)
        if demo:
            seed_demo(session, shared, home, scale=scale, counties=counties, progress=progress)
    clear_reads()


def ensure_ready(url: str, *, seed_if_empty: bool = True) -> None:
    """Upgrade the schema; seed the county demo into an empty store. A store that once held entered data
    and is now missing or another is never migrated, seeded or written: ``StoreVanished``."""
    store_identity.check_on_start(url)
    migrate.upgrade(url)
    name_store(url)
    audit.seal(url)  # rows from before the audit chain existed
    if cut := audit.cut_end(url):  # the log's newest rows deleted directly in the database
        print(f"防篡改校验未通过：{cut}。请保留数据库文件，联系管理员查明原因。", flush=True)
    if seed_if_empty and is_empty(url):
        seed(url)
    if not auth.has_real_admin(url):
        print(auth.FIRST_ADMIN, flush=True)  # the server's console: how to make the first administrator


def name_store(url: str) -> str:
    """The store's id (created once), which the guard compares on every start."""
    found = store_identity.store_id(url)
    if found:
        return found
    with session_scope(url) as session:
        session.add(AppSetting(key=guard.STORE_ID, value=guard.new_id()))
    return store_identity.store_id(url)


def reset(url: str) -> None:
    """Drop every table (and Alembic's version), then migrate to an empty schema."""
    engine = get_engine(url)
    SQLModel.metadata.drop_all(engine)
    with engine.begin() as conn:
        if sa_inspect(conn).has_table("alembic_version"):
            conn.exec_driver_sql("DROP TABLE alembic_version")
    dispose_engines()
    guard.accept(url, None)  # emptied on purpose: the store the guard remembered is gone by decision
    migrate.upgrade(url)
    clear_reads()
