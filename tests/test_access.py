"""Read access decided in the data layer (data_layer/access.py): a township officer's boards, lists, downloads,
slides and records are their own township's, whatever the filter, the URL or a record number asks; personal data
is masked or shown by the data layer. Checked here at the data layer, not through the pages, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from data_layer import access
from data_layer.access import NotReadable
from data_layer.domain.scope import FilterSpec, to_params
from data_layer.queries import articles, indicators, levy_records, meeting, projects, subsidies
from data_layer.services import meetings
from data_layer.views import attention, levy, other_work, overview, publicity, quality, roster, sources
from data_layer.views import meeting as slides
from data_layer.views import projects as project_board
from data_layer.views import subsidies as subsidy_board
from tests.conftest import person, rows

TODAY = date(2026, 11, 29)
OWN, OTHER = "鲁村镇", "东里镇"
BOARDS = {
    "overview": overview.build,
    "projects": project_board.build,
    "subsidies": lambda v: subsidy_board.build(v, every_record=True),  # the download's every record
    "levy": lambda v: levy.build(v, everything=True),
    "publicity": publicity.build,
    "other_work": other_work.build,
}
STAFF = person("科员", "staff")


def township_id(url: str, name: str) -> int:
    return rows(url, "SELECT id FROM township WHERE name = ?", (name,))[0]["id"]


def officer(url: str):
    return person("鲁村干事", "township", township_id(url, OWN), areas=("projects", "subsidies", "levy", "publicity"))


def cells(table) -> list[list[str]]:
    return [[str(v) for v in row] for row in table.with_total().itertuples(index=False)]


def seen(board) -> tuple:
    """Everything a board shows and downloads: its figures' values and words, every table's rows and total."""
    figures = [(f.key, f.text, f.note, f.status) for f in board.figures]
    tables = [(t.key, t.title, cells(t)) for t in board.tables]
    charts = [c.to_dict() for c in board.charts]
    return board.filter_label, figures, tables, charts, dict(board.notes)


@pytest.mark.parametrize(
    "asked",
    [
        FilterSpec(2023, "h1", townships=(OTHER,)),  # another township in the URL
        FilterSpec(2023, "h1", townships=(OWN, OTHER)),
        FilterSpec(2023, "h1"),  # the whole county
        FilterSpec(2023, "q2", townships=(OTHER,)),
    ],
    ids=["other", "both", "county", "q2-other"],
)
def test_an_officers_boards_are_their_townships_whatever_the_filter_asks(demo_url, asked):
    mine = access.view(demo_url, officer(demo_url), asked, TODAY)
    assert mine.scope.township_ids == (township_id(demo_url, OWN),)
    assert mine.label().endswith(f" · {OWN}")
    own_township = FilterSpec(asked.year, asked.period, townships=(OWN,))
    as_staff = access.view(demo_url, STAFF, own_township, TODAY)
    for name, build in BOARDS.items():
        board = build(mine)
        assert seen(board) == seen(build(as_staff)), name  # exactly what a county account sees of 鲁村镇 alone
        for table in board.sheets():  # and nothing of another township in any sheet of the download
            words = " ".join(v for row in cells(table) for v in row)
            assert OTHER not in words, (name, table.key)
    officer_slides, staff_slides = slides.slides(mine)["slides"], slides.slides(as_staff)["slides"]
    assert officer_slides[:-1] == staff_slides[:-1]  # the areas' slides; 需要关注 leaves out county-wide findings
    assert officer_slides[-1]["lines"] == staff_slides[-1]["lines"]
    assert officer_slides[-1]["numbers"][-1]["value"] is None and officer_slides[-1]["chart"]["categories"] == []


def test_county_wide_findings_and_figures_are_not_an_officers(demo_url):
    mine = access.view(demo_url, officer(demo_url), FilterSpec(2023, "h1"), TODAY)
    found = quality.build(mine)
    assert found.empty and not found.tables and not found.figures
    figures = sources.build(mine).table("figures").rows
    assert figures["库中现值"].isna().all() and set(figures["核对"]) == {"—"}  # the county's own figures
    assert attention.build(mine).figure("findings").value is None
    county = access.view(demo_url, STAFF, FilterSpec(2023, "h1"), TODAY)
    assert len(quality.build(county).table("findings").rows) > 0
    assert sources.build(county).table("figures").rows["库中现值"].notna().any()


RECORDS = {  # a record read by its number: the reader, and the record's township as SQL selects it
    "progress entry": (projects.entry, "SELECT e.id FROM progressentry e JOIN township t ON t.id = e.township_id"),
    "disbursement": (subsidies.disbursement, "SELECT d.id FROM disbursement d JOIN township t ON t.id = d.township_id"),
    "article": (articles.article, "SELECT a.id FROM article a JOIN township t ON t.id = a.township_id"),
    "indicator value": (indicators.value, "SELECT v.id FROM indicatorvalue v JOIN township t ON t.id = v.township_id"),
    "employer": (levy_records.employer, "SELECT e.id FROM employer e JOIN township t ON t.id = e.township_id"),
    "review": (
        levy_records.review,
        "SELECT r.id FROM annualreview r JOIN employer e ON e.id = r.employer_id "
        "JOIN township t ON t.id = e.township_id",
    ),
    "inspection": (
        levy_records.inspection,
        "SELECT i.id FROM inspection i JOIN employer e ON e.id = i.employer_id JOIN township t ON t.id = e.township_id",
    ),
    "assessment": (
        levy_records.assessment,
        "SELECT a.id FROM levyassessment a JOIN employer e ON e.id = a.employer_id "
        "JOIN township t ON t.id = e.township_id",
    ),
}


def record_of(url: str, sql: str, town: str) -> int | None:
    found = rows(url, f"{sql} WHERE t.name = ? ORDER BY 1 LIMIT 1", (town,))
    return found[0]["id"] if found else None


def test_a_record_of_another_township_is_not_found_by_its_number(demo_url):
    mine, everyone = access.of(officer(demo_url)), access.of(STAFF)
    checked = 0
    for what, (read, sql) in RECORDS.items():
        other, own = record_of(demo_url, sql, OTHER), record_of(demo_url, sql, OWN)
        if other is not None:
            assert read(demo_url, other, mine) is None, what
            assert read(demo_url, other, everyone) is not None, what
            checked += 1
        if own is not None:
            assert read(demo_url, own, mine)["township_id"] == township_id(demo_url, OWN), what
    assert checked >= 6  # the demo has records of both townships in most kinds
    county_wide = rows(demo_url, "SELECT id FROM progressentry WHERE township_id IS NULL LIMIT 1")
    if county_wide:  # 县本级 is not a township officer's either
        assert projects.entry(demo_url, county_wide[0]["id"], mine) is None


def test_personal_data_is_masked_or_shown_by_the_data_layer(demo_url):
    sql = RECORDS["review"][1] + " JOIN rosterperson p ON p.review_id = r.id"
    own, other = record_of(demo_url, sql, OWN), record_of(demo_url, sql, OTHER)
    assert own is not None and other is not None
    full_id = rows(demo_url, "SELECT id_number FROM rosterperson WHERE review_id = ? ORDER BY id", (own,))[0]
    levy_officer = access.of(officer(demo_url))  # enters the levy area: checks rosters, sees them in full
    leader = access.of(person("领导", "leader"))
    admin = access.of(person("管理员", "admin"))
    assert roster.roster_table(demo_url, own, levy_officer)["身份证号"].iloc[0] == full_id["id_number"]
    masked = roster.roster_table(demo_url, own, leader)["身份证号"].iloc[0]
    assert masked != full_id["id_number"] and "*" in masked and masked[-4:] == full_id["id_number"][-4:]
    assert roster.roster_table(demo_url, own, access.VISITOR)["姓名"].str.contains(r"\*").all()
    # a file leaves masked, for an administrator too, unless the administrator asked for the full numbers
    assert "*" in roster.roster_table(demo_url, own, admin, export=True)["身份证号"].iloc[0]
    assert roster.roster_table(demo_url, own, admin, export=True, full=True)["身份证号"].iloc[0] == full_id["id_number"]
    assert "*" in roster.roster_table(demo_url, own, levy_officer, export=True, full=True)["身份证号"].iloc[0]
    with pytest.raises(NotReadable):
        roster.roster_table(demo_url, other, levy_officer)
    assert roster.removable(demo_url, other, levy_officer) == {}


def test_an_officer_reads_only_packs_of_their_own_township(demo_url):
    def freeze(spec: FilterSpec) -> int:
        view = access.view(demo_url, STAFF, spec, TODAY)
        return meetings.freeze_pack(
            db_url=demo_url,
            actor=STAFF,
            name="调度会",
            filter_label=view.label(),
            filter_params=to_params(spec),
            period_start=view.scope.start,
            period_end=view.scope.end,
            figures=slides.slides(view),
            data_as_of=None,
        )

    county = freeze(FilterSpec(2023, "h1"))
    other = freeze(FilterSpec(2023, "h1", townships=(OTHER,)))
    own = freeze(FilterSpec(2023, "h1", townships=(OWN,)))
    mine = access.of(officer(demo_url))
    assert list(meeting.packs(demo_url, mine)["id"]) == [own]
    assert meeting.pack(demo_url, county, mine) is None and meeting.pack(demo_url, other, mine) is None
    assert meeting.pack(demo_url, own, mine)["id"] == own
    assert sorted(meeting.packs(demo_url, access.of(STAFF))["id"]) == sorted([county, other, own])


def test_an_officer_without_a_township_reads_nothing():
    lost = person("无乡镇", "township", None)
    assert access.of(lost).township_id == -1 and not access.of(lost).reads(None)
