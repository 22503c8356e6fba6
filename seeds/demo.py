"""The demo generator: the report's county figures spread across townships, and the rest a demo needs.

Fixed random seed, so every run makes the same store. For the home county, every 2023 H1
county total equals the report's figure as used (seeds/report_2023h1.yaml); 2023 H2 follows
the report's H2 plan; 2022 is a plausible prior year. Other counties (city / province scale)
get the same shape scaled by a random factor. The reference rows (counties, townships, projects,
levy years, the campaign) go through the write services; the records go through the bulk path
(data_layer/services/bulk.py), which checks each with its service's own rules and inserts them in
batches — a province is millions of rows. Every row has ``is_demo=True``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from data_layer.domain import credit_code, id_number, text
from data_layer.domain.roles import Actor
from data_layer.domain.rules import expected_amount_fen, months_between
from data_layer.models import (
    AnnualReview,
    Article,
    County,
    Disbursement,
    Employer,
    IndicatorValue,
    Inspection,
    ItemTownshipTarget,
    LevyAssessment,
    LevyPayment,
    ProgressEntry,
    ProjectItem,
    RosterPerson,
    SubsidyType,
    utcnow,
)
from data_layer.services import levy, levy_collection, publicity, subsidies
from data_layer.services.bulk import BulkLoad
from seeds.reference import (
    ACTOR,
    CountyRefs,
    SharedRefs,
    home_county,
    load_county,
    load_publicity_targets,
)

DEMO_ACTOR = Actor(username="demo", name="演示数据", role="admin")
SEED = 20230630
TODAY = date(2026, 11, 28)  # demo rows are all long past; fixed so the store is reproducible

# Progress totals per (year, half): (project, item) → quantity, or 元 for money items.
PROGRESS = {
    (2023, 1): {
        ("shuangbai", "wheelchair"): 200,
        ("shuangbai", "solar"): 70,
        ("shuangbai", "doorbell"): 50,
        ("yuanmeng", "welding"): 69,
        ("yuanmeng", "registered"): 204,
        ("yuanmeng", "practical"): 0,
        ("yangguang", "funds"): 150_000,
        ("yangguang", "new_homes"): 1,
    },
    (2023, 2): {
        ("shuangbai", "wheelchair"): 85,
        ("shuangbai", "solar"): 42,
        ("shuangbai", "doorbell"): 46,
        ("yuanmeng", "welding"): 48,
        ("yuanmeng", "registered"): 0,
        ("yuanmeng", "practical"): 131,
        ("yangguang", "funds"): 45_000,
        ("yangguang", "new_homes"): 1,
    },
    (2022, 1): {
        ("shuangbai", "wheelchair"): 150,
        ("shuangbai", "solar"): 55,
        ("shuangbai", "doorbell"): 38,
        ("yuanmeng", "welding"): 52,
        ("yuanmeng", "registered"): 170,
        ("yuanmeng", "practical"): 0,
        ("yangguang", "funds"): 120_000,
        ("yangguang", "new_homes"): 0,
    },
    (2022, 2): {
        ("shuangbai", "wheelchair"): 95,
        ("shuangbai", "solar"): 40,
        ("shuangbai", "doorbell"): 37,
        ("yuanmeng", "welding"): 41,
        ("yuanmeng", "registered"): 0,
        ("yuanmeng", "practical"): 112,
        ("yangguang", "funds"): 50_000,
        ("yangguang", "new_homes"): 1,
    },
}
# 元 per unit: in H1 2023, 200 × 450 + 70 × 1,500 + 50 × 100 = 200,000 元, the report's 20万余元.
UNIT_COST = {"wheelchair": 450, "solar": 1500, "doorbell": 100}

# Subsidy rolls per (year, half): type → recipients, and the paid dates of the batch(es).
SUBSIDIES = {
    (2023, 1): {"tekun": 300, "dibao": 885, "fuel": 26, "housing": 50, "pension": 1620},
    (2023, 2): {"tekun": 300, "housing": 200},
    (2022, 1): {"tekun": 290, "dibao": 860, "fuel": 24, "housing": 40, "pension": 1580},
    (2022, 2): {"tekun": 290, "housing": 150},
}
ONE_BATCH_PAID = {"dibao": (2, 15), "fuel": (3, 20), "housing": (3, 25), "pension": (5, 22)}
H2_HOUSING_PAID = (9, 26)

SERIES = "二三四五六七八九十"  # the parts of an article series after the first
ARTICLES = {  # per outlet, in the order of reference.yaml
    (2023, 1): [13, 3, 4, 15, 6, 20, 11],
    (2023, 2): [10, 3, 3, 14, 5, 18, 12],
    (2022, 1): [9, 2, 3, 12, 5, 15, 9],
    (2022, 2): [10, 3, 2, 13, 4, 16, 10],
}

# Indicators: code → (value, township-level?, period start, period end), by year and half.
INDICATORS = {
    (2023, 1): {
        "rehab_children_files": (80, True, (3, 1), (5, 31)),
        "rehab_cp": (8, False, (1, 1), (6, 30)),
        "rehab_intellectual": (4, False, (1, 1), (6, 30)),
        "rehab_deaf": (3, False, (1, 1), (6, 30)),
        "rehab_autism": (2, False, (1, 1), (6, 30)),
        "psy_inpatient": (13, False, (1, 1), (6, 30)),
        "psy_medication": (40, False, (1, 1), (6, 30)),
        "rehab_new_intellectual": (1, False, (1, 1), (6, 30)),
        "rehab_new_cp": (1, False, (1, 1), (6, 30)),
        "certificates": (859, True, (1, 1), (6, 30)),
        "petition_visits": (16, False, (1, 1), (6, 30)),
        "petition_letters": (2, False, (1, 1), (6, 30)),
        "visits_dpf": (130, True, (5, 10), (5, 20)),
        "visits_all": (200, False, (5, 10), (5, 20)),
        "visit_money": (30_000, False, (5, 10), (5, 20)),
        "donor_enterprises": (51, False, (5, 17), (5, 17)),
        "donations": (120_000, False, (5, 17), (5, 17)),
        "books": (5000, False, (5, 17), (5, 17)),
        "new_bases": (1, False, (1, 1), (6, 30)),
        "arts_funding": (30_000, False, (1, 1), (6, 30)),
    },
}


def _prior(values: dict, factor: float) -> dict:
    return {k: (max(0, round(v[0] * factor)), *v[1:]) for k, v in values.items()}


INDICATORS[(2022, 1)] = _prior(INDICATORS[(2023, 1)], 0.85)
INDICATORS[(2023, 2)] = {
    k: v
    for k, v in _prior(INDICATORS[(2023, 1)], 0.9).items()
    if k in ("certificates", "petition_visits", "petition_letters", "rehab_children_files", "psy_medication")
}
INDICATORS[(2022, 2)] = _prior(INDICATORS[(2023, 2)], 0.9)

EMPLOYERS = 1536  # “1500多家”
ABOVE_SIZE = 262  # 规模以上企业; 206 of them inspected on site in the 2023 campaign
ONSITE_2023 = 206
CAMPAIGN_2023 = (
    "按比例安排残疾人就业和残保金征收专项执法检查",
    "源政办发(2023)44号",
    date(2023, 5, 20),
    date(2023, 6, 30),
)


@dataclass
class Scale:
    counties: int
    townships_per_county: tuple[int, int]


SCALES = {"county": Scale(1, (13, 13)), "city": Scale(8, (11, 14)), "province": Scale(140, (11, 15))}
CITY_COUNTIES = ["张店区", "淄川区", "博山区", "临淄区", "周村区", "桓台县", "高青县"]


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` in whole parts proportional to ``weights`` (largest remainder): the parts sum to it."""
    if total == 0:
        return [0] * len(weights)
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _half_range(year: int, half: int) -> tuple[date, date]:
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _spread_days(rng: random.Random, start: date, end: date, n: int) -> list[date]:
    """``n`` dates in [start, end], at least 8 days apart (so no batch looks like a repeat entry)."""
    while True:
        days = sorted(_day(rng, start, end) for _ in range(n))
        if all((b - a).days >= 8 for a, b in zip(days, days[1:], strict=False)):
            return days


class CountyDemo:
    """Generates one county's demo rows; ``factor`` scales the home county's figures."""

    def __init__(
        self,
        bulk: BulkLoad,
        refs: CountyRefs,
        shared: SharedRefs,
        rng: random.Random,
        factor: float,
        division: str,
    ):
        self.bulk, self.s, self.refs, self.shared, self.rng, self.factor = bulk, bulk.s, refs, shared, rng, factor
        self.division = division  # 行政区划代码, part of every employer's credit code
        # the report's named care homes are the home county's: another county whose random factor happens to be
        # 1.00 has other townships (the province seed failed on “'鲁村镇' is not in list”)
        self.home = division == home_county()["code"]
        self.weights = [rng.uniform(0.5, 1.6) for _ in refs.township_ids]
        self.titles: dict[str, int] = {}  # how often each article title was drawn (a repeat is a series: 之二…)

    def scaled(self, value: int) -> int:
        return value if self.factor == 1.0 else round(value * self.factor)

    def run(self) -> None:
        self.township_targets()
        self.publicity_quotas()
        for year, half in PROGRESS:
            self.progress(year, half)
            self.subsidies(year, half)
            self.articles(year, half)
            self.indicators(year, half)
        self.levy()

    # --- key projects ---------------------------------------------------------------
    def township_targets(self) -> None:
        """Township items get their annual target split across townships (the 目标任务分解)."""
        for item_id in self.refs.items.values():
            item = self.s.get(ProjectItem, item_id)
            if item.scope != "township":
                continue
            for township_id, target in zip(
                self.refs.township_ids, split(item.annual_target, self.weights), strict=True
            ):
                self.bulk.add(ItemTownshipTarget, dict(item_id=item_id, township_id=township_id, target=target))

    def progress(self, year: int, half: int) -> None:
        start, end = _half_range(year, half)
        for (project, item), total in PROGRESS[(year, half)].items():
            item_id = self.refs.items[(year, project, item)]
            total = self.scaled(total)
            if total == 0:
                continue
            if (project, item) == ("yangguang", "funds") and self.home and (year, half) == (2023, 1):
                self._care_home_funds(item_id)
                continue
            money = self.s.get(ProjectItem, item_id).measure == "money"
            if (project, item) in {("yuanmeng", "welding"), ("yangguang", "new_homes")}:
                # County-wide items: the county base trains in classes; new homes are county decisions.
                classes = split(total, [1.0] * (2 if total > 1 else 1))
                for n, day in zip(classes, _spread_days(self.rng, start, end, len(classes)), strict=True):
                    self._entry(item_id, None, day, n, 0, "县本级")
                continue
            for township_id, part in zip(self.refs.township_ids, split(total, self.weights), strict=True):
                batches = [n for n in (split(part, [1.0] * self.rng.randint(1, 3)) if part > 2 else [part]) if n]
                for n, day in zip(batches, _spread_days(self.rng, start, end, len(batches)), strict=True):
                    if money:
                        self._entry(item_id, township_id, day, 0, n * 100, "")
                    else:
                        self._entry(item_id, township_id, day, n, UNIT_COST.get(item, 0) * 100 * n, "")

    def _care_home_funds(self, item_id: int) -> None:
        """The report names the three care homes; its 15万余元 is split evenly (provenance says so)."""
        names = self.refs.township_names
        for township, note in (
            ("鲁村镇", "鲁村镇残疾人托养所"),
            ("南鲁山镇", "南鲁山镇残疾人托养所"),
            (None, "沂源联宇残疾人托养点"),
        ):
            township_id = self.refs.township_ids[names.index(township)] if township else None
            self._entry(item_id, township_id, date(2023, 4, 18), 0, 50_000 * 100, note)

    def _entry(self, item_id, township_id, day, quantity, amount_fen, note) -> None:
        values = dict(item_id=item_id, township_id=township_id, entry_date=day, quantity=quantity, is_demo=True)
        # Townships that pass their target raise the “over twice the remaining target” warning, as real ones
        # would; the demo confirms it as a person would, and says why.
        values.update(amount_fen=amount_fen, note=note)
        self.bulk.add(ProgressEntry, values, warning_note="演示数据：超额完成")

    # --- subsidies ------------------------------------------------------------------------
    def subsidies(self, year: int, half: int) -> None:
        for code, roll in SUBSIDIES[(year, half)].items():
            type_id = self.shared.subsidy_types[code]
            parts = split(self.scaled(roll), self.weights)
            if code == "tekun":
                months = range(1, 7) if half == 1 else range(7, 13)
                for month in months:
                    paid = date(year, month, 10)
                    for township_id, n in zip(self.refs.township_ids, parts, strict=True):
                        self._disburse(type_id, township_id, date(year, month, 1), date(year, month, 1), n, paid)
                continue
            month, day = ONE_BATCH_PAID[code] if half == 1 else H2_HOUSING_PAID
            paid = date(year, month, day)
            if code == "housing":
                covers = (date(year, month, 1), date(year, month, 1))
            else:  # yearly payments cover the whole year
                covers = (date(year, 1, 1), date(year, 12, 1))
            for township_id, n in zip(self.refs.township_ids, parts, strict=True):
                if n:
                    self._disburse(type_id, township_id, *covers, n, paid)

    def _disburse(self, type_id, township_id, month_from, month_to, recipients, paid) -> None:
        standards = self.shared.__dict__.setdefault("_standards", {})  # the same few dates for every county
        if (type_id, paid) not in standards:
            standards[(type_id, paid)] = subsidies.standard_in_force(self.s, type_id, paid)
        standard = standards[(type_id, paid)]
        basis = self.s.get(SubsidyType, type_id).standard_basis
        amount = expected_amount_fen(basis, recipients, standard, months_between(month_from, month_to))
        self.bulk.add(
            Disbursement,
            dict(
                type_id=type_id,
                county_id=self.refs.county_id,
                township_id=township_id,
                month_from=month_from,
                month_to=month_to,
                recipients=recipients,
                standard_fen=standard,
                amount_fen=amount,
                paid_date=paid,
                is_demo=True,
            ),
        )

    # --- publicity ----------------------------------------------------------------------------
    TITLES = (
        "{t}残联开展“全国助残日”走访慰问活动",
        "{t}为贫困残疾人家庭安装太阳能热水器",
        "{c}残联举办残疾人电气焊技能培训班",
        "{c}推进按比例安排残疾人就业专项执法检查",
        "{t}残疾人专职干事入户办理残疾人证",
        "{c}残疾儿童抢救性康复救助工作有序开展",
        "{t}：轮椅送到残疾人家门口",
        "{c}阳光家园托养机构建设见成效",
        "{c}残联召开重点工作推进会",
        "{t}开展残疾人实用技术培训",
    )

    def publicity_quotas(self) -> None:
        """Each township's yearly quota of articles about it (乡镇信息报送任务): 6, 8 for the two 街道."""
        for year in sorted({y for y, _ in PROGRESS}):
            quotas = {
                t: self.scaled(8 if name.endswith("街道") else 6)
                for t, name in zip(self.refs.township_ids, self.refs.township_names, strict=True)
            }
            publicity.set_publicity_quotas(session=self.s, actor=ACTOR, year=year, quotas=quotas)

    def series(self, title: str) -> str:
        """A title drawn again becomes the next part of a series, so the demo's titles do not repeat (a repeated
        title is a warning on entry)."""
        n = self.titles[title] = self.titles.get(title, 0) + 1
        return title if n == 1 else f"{title}（之{SERIES[n - 2] if n - 2 < len(SERIES) else n}）"

    def articles(self, year: int, half: int) -> None:
        start, end = _half_range(year, half)
        for outlet_id, count in zip(self.shared.outlets.values(), ARTICLES[(year, half)], strict=True):
            for _ in range(self.scaled(count)):
                i = self.rng.randrange(len(self.refs.township_ids))
                local = self.rng.random() < 0.5
                title = self.rng.choice(self.TITLES).format(
                    t=self.refs.township_names[i] if local else self.refs.name, c=self.refs.name
                )
                title = self.series(title)
                day = _day(self.rng, start, end)
                # a link for four in five (the ledger's 链接 column), drawn without the random generator so the
                # rest of the demo stays as it was; example.com: a demo address that names no real site
                n = sum(self.titles.values())
                link = "" if n % 5 == 0 else f"https://example.com/{self.division}/{text.compact_day(day)}-{n}.html"
                article = dict(
                    county_id=self.refs.county_id,
                    outlet_id=outlet_id,
                    title=title,
                    published_on=day,
                    township_id=self.refs.township_ids[i] if local else None,
                    link=link,
                    is_demo=True,
                )
                # two counties' townships may share a name: such a repeat stays, confirmed
                self.bulk.add(Article, article, warning_note="演示数据：不同县区的同名乡镇，标题相同")

    # --- other work items ----------------------------------------------------------------------
    def indicators(self, year: int, half: int) -> None:
        for code, (value, by_township, (m0, d0), (m1, d1)) in INDICATORS[(year, half)].items():
            if half == 2:
                (m0, d0), (m1, d1) = (7, 1), (12, 31)
            start, end = date(year, m0, d0), date(year, m1, d1)
            value = self.scaled(value)
            places = (
                list(zip(self.refs.township_ids, split(value, self.weights), strict=True))
                if by_township
                else [(None, value)]
            )
            for township_id, v in places:
                self.bulk.add(
                    IndicatorValue,
                    dict(
                        indicator_id=self.shared.indicators[code],
                        county_id=self.refs.county_id,
                        township_id=township_id,
                        period_start=start,
                        period_end=end,
                        value=v,
                        is_demo=True,
                    ),
                )

    # --- levy enforcement ------------------------------------------------------------------------
    def levy(self) -> None:
        rng, n = self.rng, self.scaled(EMPLOYERS)
        above = set(rng.sample(range(n), self.scaled(ABOVE_SIZE)))
        employers = [self._employer(i, i in above) for i in range(n)]
        name, doc, c_start, c_end = CAMPAIGN_2023
        campaign = levy.create_campaign(
            session=self.s,
            actor=DEMO_ACTOR,
            county_id=self.refs.county_id,
            name=name,
            document=doc,
            start_date=c_start,
            end_date=c_end,
            is_demo=True,
        )
        in_campaign = [e for e in employers if e["registered_on"] <= c_start]
        onsite = set(rng.sample([e["id"] for e in in_campaign if e["above"]], self.scaled(ONSITE_2023)))
        for e in in_campaign:
            if e["id"] in onsite:
                self._inspection(e, campaign, _day(rng, c_start, c_end), "onsite")
            else:
                self._inspection(e, campaign, _day(rng, c_start, c_end), "documentary")
        # 2022: routine on-site checks, no campaign.
        for e in rng.sample(
            [e for e in employers if e["above"] and e["registered_on"] < date(2022, 9, 1)], self.scaled(120)
        ):
            self._inspection(e, None, _day(rng, date(2022, 9, 1), date(2022, 11, 30)), "onsite")
        self._never_inspected = [e for e in employers if e["id"] not in onsite and e["above"]]
        for year in (2022, 2023):
            self._reviews(employers, year)
            self._assessments(year)

    INSPECTION_FINDINGS = {
        "meets": "已按比例安排残疾人就业，资料齐全",
        "below": "未达到安排比例，已告知申报缴纳残保金",
        "undeclared": "未参加年审申报，已责令限期申报",
        "other": "书面自查，资料已收",
    }

    def _inspection(self, e: dict, campaign: int | None, day: date, mode: str) -> None:
        rng = self.rng
        if mode == "documentary":
            result = "other"
        else:
            result = rng.choices(["meets", "below", "undeclared"], weights=[5, 3, 1])[0]
        follow_up = day + timedelta(days=30) if result in ("below", "undeclared") else None
        closed = None
        if follow_up is not None and rng.random() < 0.75:  # most findings were followed up; the rest are open
            closed = follow_up - timedelta(days=rng.randint(0, 20))
        self.bulk.add(
            Inspection,
            dict(
                employer_id=e["id"],
                campaign_id=campaign,
                inspected_on=day,
                mode=mode,
                result=result,
                finding=self.INSPECTION_FINDINGS[result],
                inspectors="演示检查组" if mode == "onsite" else "",
                follow_up_due=follow_up,
                closed_on=closed,
                is_demo=True,
            ),
        )

    # The fate of a year's reviews (shares of the notified employers), in the order they are drawn.
    FATES = {
        2022: {"approved": 0.93, "resubmitted": 0.03, "returned": 0.01, "declared": 0.0, "silent": 0.03},
        2023: {"approved": 0.82, "resubmitted": 0.06, "returned": 0.03, "declared": 0.02, "silent": 0.07},
    }

    def _reviews(self, employers: list[dict], year: int) -> None:
        """Notices at the end of June; declarations in July and August; decisions until the deadline, a few
        after it; some returned and resubmitted, some returned and silent, some never declared. Each review is
        written in the state its steps would have left it in (``levy_reviews.review_errors`` checks it)."""
        rng = self.rng
        deadline = date(year, 9, 30)
        notify_start = date(year, 6, 26)
        notified = [e for e in employers if e["registered_on"] < notify_start]
        fates = self.FATES[year]
        shared = None  # 2023: one person on two employers' rosters (the check has something to show)
        reviews, rosters = [], []
        for index, e in enumerate(notified):  # the notices went out over five days
            review = dict(employer_id=e["id"], year=year, notified_on=notify_start + timedelta(days=index % 5))
            review["is_demo"] = True
            reviews.append(review)
            fate = rng.choices(list(fates), weights=list(fates.values()))[0]
            if fate == "silent":
                continue
            staff = max(1, round(e["staff"] * rng.uniform(0.92, 1.05)))
            people = e.setdefault("people", [self._person() for _ in range(e["disabled"])])[:staff]
            declared = _day(rng, date(year, 7, 1), date(year, 8, 20))
            wage = rng.randint(42_000, 120_000) * 100
            roster = list(people)
            rosters.append((review, roster))
            if year == 2023 and people and shared is None:
                shared = people[0]
            elif year == 2023 and people and shared is not False:
                roster.append(shared)
                shared = False
            review.update(status="declared", declared_on=declared, staff=staff, avg_wage_fen=wage)
            review.update(disabled_staff=len(people), updated_at=utcnow())
            decided = declared + timedelta(days=rng.randint(5, 30))
            if fate in ("returned", "resubmitted"):
                reason = rng.choice(self.RETURN_REASONS)
                review.update(status="returned", reviewed_on=decided, return_reason=reason)
                if fate == "resubmitted":
                    declared = decided + timedelta(days=rng.randint(3, 10))
                    decided = declared + timedelta(days=rng.randint(3, 12))
                    review.update(status="declared", declared_on=declared, resubmissions=1)
            if fate in ("approved", "resubmitted"):
                late = rng.random() < 0.02
                day = deadline + timedelta(days=rng.randint(3, 20)) if late else min(decided, deadline)
                review.update(status="approved", reviewed_on=day, return_reason="")
        for offset in range(5):  # stored in the order the notices went out, one day's batch after the other
            for review in reviews[offset::5]:
                review["id"] = self.bulk.add(AnnualReview, review)
        for review, roster in rosters:
            for person in roster:
                self.bulk.add(RosterPerson, {**person, "review_id": review["id"], "is_demo": True})

    RETURN_REASONS = (
        "残疾人证复印件不清晰，请重新提供",
        "缺少社会保险缴费证明",
        "劳动合同期限不足一年，请补充材料",
        "职工人数与社保参保人数不一致，请核实",
    )

    def _person(self) -> dict:
        """A synthetic disabled employee: a clearly fake name, an ID number with a valid check digit (unique)."""
        rng = self.rng
        used = self.__dict__.setdefault("_ids", set())
        while True:
            born = _day(rng, date(1965, 1, 1), date(2000, 12, 31))
            number = id_number.make(f"{self.division}{text.compact_day(born)}{rng.randint(0, 999):03d}")
            if number not in used:
                used.add(number)
                break
        category, grade = rng.choice(list(id_number.CATEGORIES)), rng.choices([1, 2, 3, 4], weights=[1, 2, 4, 4])[0]
        return dict(
            name=f"演示职工{len(used):05d}",
            id_number=number,
            cert_number=f"{number}{category}{grade}",
            category=category,
            grade=grade,
            contract_ok=rng.random() < 0.95,
            insurance_ok=rng.random() < 0.94,
            months=12 if rng.random() < 0.8 else rng.randint(3, 11),
        )

    def _assessments(self, year: int) -> None:
        """The year's levy years, the batch assessment after the deadline, payments leaving some arrears."""
        rng = self.rng
        county = self.refs.county_id
        levy.set_levy_year(
            session=self.s, actor=DEMO_ACTOR, county_id=county, year=year, task_fen=0, review_deadline=date(year, 9, 30)
        )
        assessed_on, due_on = date(year, 10, 10), date(year, 11, 30)
        self.bulk.flush()  # the batch reads the stored reviews and rosters
        planned = levy_collection.plan_assessments(self.s, county_id=county, year=year, today=assessed_on)
        assessments = []
        for p in planned:
            values = levy_collection.assessment_values(p, year=year, assessed_on=assessed_on, due_on=due_on)
            values["id"] = self.bulk.add(LevyAssessment, {**values, "is_demo": True})
            assessments.append(values)
        total = sum(a["amount_fen"] for a in assessments)
        # the task the county was given: about what the batch assessed, in round 万元
        task = max(10_000_00, int(text.wan_number(total * 0.97, places=0)) * 10_000_00)
        levy.set_levy_year(
            session=self.s,
            actor=DEMO_ACTOR,
            county_id=county,
            year=year,
            task_fen=task,
            review_deadline=date(year, 9, 30),
        )
        for a in assessments:
            fate = rng.random()
            if fate < 0.84:
                parts = [a["amount_fen"]]
            elif fate < 0.92:
                parts = [a["amount_fen"] // 2]  # half paid: arrears
            else:
                continue  # unpaid
            for amount in parts:
                if amount > 0:
                    paid_on = _day(rng, date(year, 10, 15), date(year, 11, 28))
                    payment = dict(assessment_id=a["id"], paid_on=paid_on, amount_fen=amount, is_demo=True)
                    self.bulk.add(LevyPayment, payment, assessment=a)

    def _employer(self, i: int, above: bool) -> dict:
        rng = self.rng
        staff = int(rng.lognormvariate(5.3, 0.8)) + 50 if above else max(2, int(rng.lognormvariate(2.6, 1.0)))
        disabled = round(staff * rng.uniform(0.004, 0.025)) if staff > 30 and rng.random() < 0.4 else 0
        size = "large" if staff >= 1000 else "medium" if staff >= 300 else "small" if staff >= 20 else "micro"
        if i < self.scaled(1480):
            registered = _day(rng, date(2012, 1, 1), date(2021, 12, 31))
        elif i < self.scaled(1510):
            registered = _day(rng, date(2022, 1, 1), date(2022, 12, 31))
        else:
            registered = _day(rng, date(2023, 1, 1), date(2023, 6, 25))
        township = rng.choices(self.refs.township_ids, weights=self.weights)[0]
        code = self._credit_code()
        values = dict(
            county_id=self.refs.county_id,
            township_id=township,
            name=self._company_name(i),
            credit_code=code,
            staff=staff,
            disabled_staff=min(disabled, staff),
            avg_wage_fen=rng.randint(42_000, 120_000) * 100,
            size_class=size,
            above_designated_size=above,
            registered_on=registered,
            is_demo=True,
        )
        employer_id = self.bulk.add(Employer, values)
        return {
            "id": employer_id,
            "above": above,
            "registered_on": registered,
            "staff": staff,
            "disabled": min(disabled, staff),
        }

    WORDS = (
        "鲁源",
        "沂河",
        "鑫源",
        "华康",
        "瑞丰",
        "金泰",
        "恒信",
        "宏达",
        "东方",
        "新华",
        "利民",
        "荣昌",
        "永盛",
        "兴隆",
        "盛源",
        "福润",
        "天宇",
        "明珠",
        "嘉禾",
        "润泽",
        "博远",
        "开元",
        "中和",
        "泰山",
        "齐鲁",
    )
    TRADES = (
        "机械",
        "食品",
        "化工",
        "纺织",
        "建材",
        "果品",
        "医药",
        "商贸",
        "物流",
        "电子",
        "服装",
        "塑料",
        "玻璃",
        "包装",
        "建筑",
        "农业",
        "矿业",
        "印刷",
    )
    FORMS = ("有限公司", "有限责任公司", "股份有限公司")

    def _company_name(self, i: int) -> str:
        rng = self.rng
        place = self.refs.name.removesuffix("县").removesuffix("区")
        return f"{place}{rng.choice(self.WORDS)}{rng.choice(self.TRADES)}{rng.choice(self.FORMS)}（{i + 1:04d}）"

    def _credit_code(self) -> str:
        # '91' = enterprise registered with market regulation; division code of the county.
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        while True:
            org8 = "".join(self.rng.choice(alphabet) for _ in range(8))
            try:
                return credit_code.make("91", self.division, org8)
            except ValueError:
                continue


def _other_counties(rng: random.Random, scale: Scale) -> list[dict]:
    names = (
        CITY_COUNTIES[: scale.counties - 1]
        if scale.counties <= 8
        else [f"示范{i:03d}县" for i in range(1, scale.counties)]
    )
    counties = []
    for i, name in enumerate(names, start=1):
        n = rng.randint(*scale.townships_per_county)
        stem = name.removesuffix("县").removesuffix("区")
        towns = [{"name": f"{stem}第{j}镇", "kind": "镇"} for j in range(1, n)] + [
            {"name": f"{stem}街道", "kind": "街道"}
        ]
        counties.append(
            {
                "name": name,
                "code": f"{370300 + i + 10:06d}" if scale.counties <= 8 else f"{370000 + (i % 9000) + 1000:06d}",
                "townships": towns,
            }
        )
    return counties


def seed_county(
    session: Session, refs: CountyRefs, shared: SharedRefs, rng: random.Random, factor: float, division: str
) -> None:
    """One more county's demo records in the caller's transaction (the county and its townships loaded)."""
    bulk = BulkLoad(session, DEMO_ACTOR, today=TODAY)
    CountyDemo(bulk, refs, shared, rng, factor, division).run()
    bulk.finish()


def seed_demo(
    session: Session,
    shared: SharedRefs,
    home: CountyRefs,
    scale: str = "county",
    progress=None,
    counties: int | None = None,
) -> list[CountyRefs]:
    """Fill the store with the demo (the caller owns the transaction): the home county first; ``counties``: only
    the first N counties of the scale (a province reduced for a test, with the province's names and codes)."""
    rng = random.Random(SEED)
    others = _other_counties(rng, SCALES[scale])[: None if counties is None else max(0, counties - 1)]
    total = 1 + len(others)
    bulk = BulkLoad(session, DEMO_ACTOR, today=TODAY)
    CountyDemo(bulk, home, shared, rng, 1.0, home_county()["code"]).run()
    demo_accounts(session, home)
    if progress:
        progress(1, total, home.name)
    made = [home]
    for order, county in enumerate(others, start=1):
        factor = round(rng.uniform(0.6, 1.4), 2)
        refs = load_county(
            session,
            name=county["name"],
            code=county["code"],
            townships=county["townships"],
            sort_order=order,
            target_factor=factor,
        )
        load_publicity_targets(session, refs.county_id, factor)
        CountyDemo(bulk, refs, shared, rng, factor, county["code"]).run()
        made.append(refs)
        if progress:
            progress(order + 1, total, county["name"])
    bulk.finish()
    return made


# One demo account per role (README lists them); a real store has none until an administrator adds them.
DEMO_ACCOUNTS = (
    ("lingdao", "演示领导", "leader", (), None, "lingdao-2023"),
    ("keshi", "演示科室人员", "staff", ("projects", "subsidies", "levy", "publicity", "other"), None, "keshi-2023"),
    ("lucun", "演示鲁村镇干事", "township", ("projects", "subsidies", "publicity", "other"), "鲁村镇", "lucun-2023"),
    ("admin", "演示管理员", "admin", (), None, "admin-2023"),
)


def demo_accounts(session: Session, home: CountyRefs) -> None:
    from data_layer.auth import create_account

    for username, name, role, areas, township, password in DEMO_ACCOUNTS:
        township_id = home.township_ids[home.township_names.index(township)] if township else None
        create_account(
            "",
            username=username,
            display_name=name,
            role=role,
            password=password,
            areas=areas,
            township_id=township_id,
            is_demo=True,
            session=session,
        )


def any_county(session: Session) -> bool:
    return session.exec(select(County)).first() is not None
