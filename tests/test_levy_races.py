"""Payments made at the same moment on one assessment (eight tabs, each paying all that is owed), in 20 rounds, on
both engines: one is stored, the others are refused with the Chinese “超过尚欠金额”; nothing is ever overpaid."""

from __future__ import annotations

import threading
from datetime import date

from data_layer.domain.errors import ValidationFailed
from data_layer.services import levy_collection
from data_layer.services.records import services_for
from tests.conftest import person, rows

TODAY = date(2026, 11, 29)
ADMIN = person("管理员")
TABS, ROUNDS = 8, 20
PAYMENTS = services_for(levy_collection.PAYMENT)  # what 残保金核定与缴纳 calls


def owed(url: str, limit: int) -> list[dict]:
    return rows(
        url,
        "SELECT a.id, a.amount_fen, a.amount_fen - COALESCE(SUM(p.amount_fen), 0) AS owed FROM levyassessment a "
        "LEFT JOIN levypayment p ON p.assessment_id = a.id GROUP BY a.id, a.amount_fen "
        "HAVING a.amount_fen - COALESCE(SUM(p.amount_fen), 0) > 0 ORDER BY a.id LIMIT ?",
        (limit,),
    )


def pay_at_once(url: str, assessment_id: int, amount_fen: int) -> list[object]:
    """``TABS`` threads pay ``amount_fen`` on one assessment as close together as threads can: each one's outcome."""
    start, outcomes = threading.Barrier(TABS), [None] * TABS

    def pay(k: int) -> None:
        start.wait()
        try:
            outcomes[k] = PAYMENTS.create(
                db_url=url,
                actor=ADMIN,
                values={"assessment_id": assessment_id, "paid_on": TODAY, "amount_fen": amount_fen},
                today=TODAY,
            )
        except ValidationFailed as refused:
            outcomes[k] = refused
        except Exception as failed:  # noqa: BLE001 (reported by the assertion below, whatever it is)
            outcomes[k] = failed

    threads = [threading.Thread(target=pay, args=(k,)) for k in range(TABS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_payments_at_the_same_moment_never_overpay(demo_url):
    due = owed(demo_url, ROUNDS)
    assert len(due) == ROUNDS  # the demo has assessments still owed
    for assessment in due:
        outcomes = pay_at_once(demo_url, assessment["id"], assessment["owed"])
        stored = [o for o in outcomes if isinstance(o, int)]
        refused = [o for o in outcomes if isinstance(o, ValidationFailed)]
        assert len(stored) == 1 and len(refused) == TABS - 1, outcomes
        assert all(r.errors["amount_fen"].startswith("超过尚欠金额") for r in refused)
    paid = rows(
        demo_url,
        "SELECT a.id, a.amount_fen, SUM(p.amount_fen) AS paid, COUNT(p.id) AS n FROM levyassessment a "
        "JOIN levypayment p ON p.assessment_id = a.id GROUP BY a.id, a.amount_fen",
    )
    assert all(r["paid"] <= r["amount_fen"] for r in paid)
    settled = {r["id"]: r for r in paid}
    assert all(settled[a["id"]]["paid"] == a["amount_fen"] for a in due)  # each paid up exactly, once
