"""What a soft rule looks at, one dataclass per kind of record: the record and what around it matters (the
item's plausible unit cost, the standard in force, the same period last year…). data_layer/queries/*_context.py
read them from the store; data_layer/domain/rules.py words the warnings from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ProgressContext:
    id: int
    item_id: int
    township_id: int | None
    entry_date: date
    quantity: int
    amount_fen: int
    warning_note: str
    year: int
    item: str
    unit: str
    measure: str
    township: str | None
    cost_min_fen: int | None
    cost_max_fen: int | None
    records_money: bool  # the item has a budget or a plausible unit cost: its entries carry money
    value: float  # the entry in the item's unit (元 for money items)
    target: float  # the township's target where split, else the item's annual target
    township_target: bool
    done_before: float  # towards that target, by entries earlier in (date, id) order
    repeat_of: int | None
    repeat_date: date | None


@dataclass(frozen=True)
class DisbursementContext:
    id: int
    type_id: int
    county_id: int
    township_id: int | None
    month_from: date
    month_to: date
    recipients: int
    standard_fen: int
    amount_fen: int
    paid_date: date
    warning_note: str
    type: str
    unit: str
    payment: str
    basis: str
    township: str | None
    standard_in_force_fen: int | None
    overlap_of: int | None
    overlap_from: date | None
    overlap_to: date | None
    previous_recipients: int | None
    previous_month: date | None
    jump_share: float


@dataclass(frozen=True)
class IndicatorValueContext:
    id: int
    indicator_id: int
    county_id: int
    township_id: int | None
    period_start: date
    period_end: date
    value: int
    warning_note: str
    indicator: str
    unit: str
    category: str
    township: str | None
    overlap_of: int | None  # the latest earlier value of the same indicator and unit whose period overlaps
    overlap_start: date | None
    overlap_end: date | None
    overlap_value: int | None
    last_value: int  # the same unit's values of the indicator in the same period last year, summed
    last_count: int  # how many there were (0: nothing to compare with, not a zero)


@dataclass(frozen=True)
class ArticleContext:
    id: int
    outlet_id: int
    township_id: int | None
    title: str
    link: str
    kind: str
    published_on: date
    warning_note: str
    outlet: str
    township: str | None
    first_used_on: date | None
    same_title_of: int | None
    same_link_of: int | None


@dataclass(frozen=True)
class InspectionContext:
    id: int
    employer_id: int
    employer: str
    campaign: str  # the campaign's name, or 日常检查
    inspected_on: date
    mode: str
    result: str
    warning_note: str
    repeat_of: int | None  # an earlier inspection (not deleted) of the employer on the same day in the same campaign


@dataclass(frozen=True)
class PaymentContext:
    id: int
    assessment_id: int
    employer: str
    year: int
    paid_on: date
    amount_fen: int
    warning_note: str
    repeat_of: int | None  # an earlier payment (not deleted) of the same amount on the same day to the same assessment


@dataclass(frozen=True)
class ReviewContext:
    id: int
    employer: str
    year: int
    status: str
    disabled_staff: int | None
    roster_people: int  # live lines on its roster
    warning_note: str


@dataclass(frozen=True)
class RosterContext:
    id: int
    review_id: int
    employer: str
    year: int
    name: str
    id_number: str
    warning_note: str
    elsewhere: str | None  # another employer with the same person on its roster (live lines, live reviews) that year


@dataclass(frozen=True)
class AssessmentContext:
    id: int
    employer: str
    year: int
    amount_fen: int
    computed_fen: int | None  # what the levy rules give for its stored inputs (None: no inputs or no policy)
    warning_note: str
