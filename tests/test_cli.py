"""``python -m data_layer``: seed, refuse a second seed, reset."""

from __future__ import annotations

from data_layer.__main__ import main
from tests.conftest import rows, sqlite_url


def test_seed_reference_then_refuse_then_reset(tmp_path, monkeypatch, capsys):
    url = sqlite_url(tmp_path / "cli.sqlite3")
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["seed"]) == 0
    assert rows(url, "SELECT COUNT(*) AS n FROM township")[0]["n"] == 13
    assert rows(url, "SELECT COUNT(*) AS n FROM progressentry")[0]["n"] == 0  # no --demo: no demo records
    assert main(["seed"]) == 1  # not on a filled store
    assert "reset --yes" in capsys.readouterr().err
    assert main(["reset"]) == 2  # needs --yes
    assert main(["reset", "--yes"]) == 0
    assert rows(url, "SELECT COUNT(*) AS n FROM township")[0]["n"] == 0


def test_default_store_is_a_sqlite_file_in_the_data_folder(tmp_path, monkeypatch):
    from data_layer.infra import settings

    monkeypatch.setenv("DPF_DATA_DIR", str(tmp_path / "dpf-data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert settings.database_url() == f"sqlite:///{tmp_path / 'dpf-data' / 'dpf.sqlite3'}"
    assert (tmp_path / "dpf-data").is_dir()
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/dpf")
    assert settings.database_url() == "postgresql+psycopg://u:p@db/dpf"


def test_a_store_whose_folder_is_gone_is_said_in_chinese(tmp_path, monkeypatch, capsys):
    from data_layer.__main__ import run

    gone = tmp_path / "gone" / "dpf.sqlite3"
    monkeypatch.setenv("DATABASE_URL", sqlite_url(gone))
    for command in (["migrate"], ["seed", "--demo"], ["audit", "verify"]):
        assert run(command) == 1
        said = capsys.readouterr().err
        assert f"数据库不见了：{gone.parent} 这个文件夹不存在" in said and "OperationalError" not in said
