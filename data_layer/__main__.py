"""Command line: ``python -m data_layer {migrate,seed,reset,revision,backup,restore}`` on the store at DATABASE_URL."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
import unicodedata
from pathlib import Path

from sqlalchemy.exc import DBAPIError

from data_layer import auth
from data_layer.domain import text
from data_layer.domain.errors import StoreUnavailable, ValidationFailed
from data_layer.domain.roles import AREAS, ROLES, SYSTEM
from data_layer.infra import audit, backup, guard, migrate, settings, store, store_identity
from data_layer.infra.progress_bar import ProgressBar
from data_layer.infra.store_errors import store_unavailable
from data_layer.queries import org


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_layer", description="县残联工作看板：数据库维护")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="升级数据库结构到最新版本")
    p_seed = sub.add_parser("seed", help="载入基础数据、报告数字（带出处）和演示数据")
    p_seed.add_argument("--demo", action="store_true", help="同时生成演示数据（否则只载入基础数据和报告数字）")
    p_seed.add_argument(
        "--scale",
        choices=["county", "city", "province"],
        default="county",
        help="county: 13 个乡镇单位；city: 8 个县区约 100 个乡镇；province: 约 140 个县区 1,800 个乡镇",
    )
    p_seed.add_argument("--counties", type=int, help="只生成前 N 个县区（缩小的省级演示，测试用）")
    p_reset = sub.add_parser("reset", help="清空全部数据并重建空结构")
    p_reset.add_argument("--yes", action="store_true", help="确认清空")
    p_rev = sub.add_parser("revision", help="开发用：按模型变化自动生成迁移脚本")
    p_rev.add_argument("-m", "--message", required=True)
    sub.add_parser("accept-store", help="确认当前地址上的数据库就是要使用的（恢复备份或改用新库之后）")
    p_user = sub.add_parser("user", help="账号：add 新增 / passwd 重设密码 / disable 停用 / enable 启用")
    p_user.add_argument("action", choices=["add", "passwd", "disable", "enable"])
    p_user.add_argument("--username", required=True)
    p_user.add_argument("--name", help="姓名（add）")
    p_user.add_argument(
        "--role", choices=list(ROLES), help="leader 领导 / staff 科室人员 / township 乡镇专职干事 / admin 管理员"
    )
    p_user.add_argument("--areas", default="", help="可录入的业务，逗号分隔：" + ",".join(AREAS))
    p_user.add_argument("--township", help="乡镇专职干事所属乡镇的名称")
    p_user.add_argument("--password", help="不填则提示输入（不会显示）")
    p_audit = sub.add_parser("audit", help="verify：检查操作记录是否被改动或删除")
    p_audit.add_argument("action", choices=["verify"])
    p_backup = sub.add_parser("backup", help="备份整个数据库到一个文件（默认放在备份文件夹，文件名带时间）")
    p_backup.add_argument("--out", help="备份文件的路径（不填则放在备份文件夹）")
    p_restore = sub.add_parser("restore", help="从备份文件恢复：先列出备份和当前数据库各表的行数，加 --yes 才恢复")
    p_restore.add_argument("file", help="备份文件（.dpfbak）")
    p_restore.add_argument("--yes", action="store_true", help="确认恢复（恢复前会自动备份当前数据库）")
    args = parser.parse_args(argv)

    url = settings.database_url()
    if args.command in ("migrate", "seed"):
        try:
            store_identity.check_on_start(url)
        except guard.StoreVanished as exc:
            print(f"{exc}\n如确实要改用这个数据库，请执行 python -m data_layer accept-store", file=sys.stderr)
            return 1
    if args.command == "user":
        return user_command(url, args)
    if args.command in ("backup", "restore"):
        return backup_command(url, args)
    if args.command == "audit":
        verdict = audit.verify(url)
        print(verdict.reason, file=sys.stdout if verdict.whole else sys.stderr)
        return 0 if verdict.whole else 1
    if args.command == "accept-store":
        guard.accept(url, store_identity.store_id(url))
        print(f"已确认使用：{url}")
    elif args.command == "migrate":
        migrate.upgrade(url)
        print(f"已升级：{url}")
    elif args.command == "seed":
        migrate.upgrade(url)
        started = time.perf_counter()
        try:
            store.seed(
                url,
                demo=args.demo,
                scale=args.scale,
                counties=args.counties,
                progress=ProgressBar("个县区"),
            )
        except RuntimeError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(
            f"已载入（{args.scale}{'，含演示数据' if args.demo else ''}），用时 {time.perf_counter() - started:.1f} 秒"
        )
    elif args.command == "reset":
        if not args.yes:
            print("将删除全部数据；确认请加 --yes", file=sys.stderr)
            return 2
        store.reset(url)
        print(f"已清空：{url}")
    elif args.command == "revision":
        migrate.make_revision(url, args.message)
    return 0


def user_command(url: str, args) -> int:
    """Accounts from the server's command line (the first administrator is made this way)."""
    migrate.upgrade(url)
    try:
        if args.action in ("disable", "enable"):
            auth.set_active(url, username=args.username, active=args.action == "enable")
        else:
            password = args.password or getpass.getpass("密码（至少 8 位）：")
            if args.action == "passwd":
                auth.set_password(url, username=args.username, password=password)
            else:
                auth.create_account(
                    url,
                    username=args.username,
                    display_name=args.name or args.username,
                    role=args.role or "staff",
                    password=password,
                    areas=tuple(a for a in args.areas.split(",") if a),
                    township_id=township_id(url, args.township),
                )
    except ValidationFailed as exc:
        print("；".join(exc.errors.values()), file=sys.stderr)
        return 1
    print(f"已完成：{args.action} {args.username}")
    return 0


def backup_command(url: str, args) -> int:
    """A backup by hand, or a restore: a dry run first, the restore itself only with --yes."""
    try:
        if args.command == "backup":
            path = backup.write_backup(url, args.out or backup.new_backup_path())
            print(f"已备份：{path}")
            print_plan(backup.inspect_backup(url, path.read_bytes()))  # read back: the file is whole
            return 0
        # The remedy for a store the guard refuses (and the way to fill a new, empty one): no start check here.
        migrate.upgrade(url)
        data = Path(args.file).read_bytes()
        plan = backup.inspect_backup(url, data)
        print_plan(plan)
        if not args.yes:
            print("以上为预演，数据库没有改动。确认恢复请加 --yes（恢复前会自动备份当前数据库）")
            return 0
        result = backup.restore_backup(url, data, actor=SYSTEM)
    except OSError as exc:
        print(f"读写文件失败：{exc}", file=sys.stderr)
        return 1
    except (backup.BackupRefused, StoreUnavailable, ValidationFailed) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已恢复到 {text.time(result.made_at)} 的备份。恢复前的数据库已备份到：{result.saved_first}")
    if guard.expected_id(url) not in (None, store_identity.store_id(url)):
        print("如确认使用恢复后的数据库，请执行 python -m data_layer accept-store")
    return 0


def print_plan(plan: backup.BackupPlan) -> None:
    print(f"备份时间：{text.time(plan.made_at)}（北京时间；{plan.engine}，结构版本 {plan.revision}）")
    print(f"{padded('表')}{'备份中':>7}{'当前':>8}")  # each of these characters takes two places
    for row in plan.tables:
        print(f"{padded(row.name)}{row.in_backup:>10}{row.in_store:>10}")


def padded(name: str, width: int = 16) -> str:
    """A column of Chinese names lines up in a terminal: each Chinese character takes two places."""
    return name + " " * max(0, width - sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in name))


def township_id(url: str, name: str | None) -> int | None:
    """The township a name or a label (“鲁村镇（沂源县）”, where two counties have a 鲁村镇) picks out."""
    if not name:
        return None
    towns = org.townships(url)
    found = towns[towns["label"] == name]
    if found.empty:
        found = towns[towns["township"] == name]
    if len(found) > 1:
        labels = "、".join(found["label"])
        raise ValidationFailed({"township": f"有 {len(found)} 个乡镇（街道）叫“{name}”，请写明是哪一个：{labels}"})
    if found.empty:  # not “须指定所属乡镇”: a name was given, it names no township
        raise ValidationFailed({"township": f"没有叫“{name}”的乡镇（街道）；名称见“账号与权限”页的乡镇列表"})
    return int(found["township_id"].iloc[0])


def run(argv: list[str] | None = None) -> int:
    """``main``, with a store that cannot be opened said in Chinese (never a driver's English traceback)."""
    try:
        return main(argv)
    except DBAPIError as exc:
        print(unreachable(settings.database_url(), exc), file=sys.stderr)
        return 1


def unreachable(url: str, exc: DBAPIError) -> str:
    path = guard.sqlite_file(url)
    if path is not None and not path.parent.exists():
        return (
            f"数据库不见了：{path.parent} 这个文件夹不存在（可能数据文件夹被删除或移走）。"
            "如有备份，请先建立该文件夹，再从备份恢复（python -m data_layer restore 备份文件 --yes）。"
        )
    return store_unavailable(exc).message


if __name__ == "__main__":
    sys.exit(run())
