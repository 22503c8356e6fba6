"""Files built to never finish (an .xlsx is a zip: a small file may unpack into a huge one; rows of nothing; one
cell of a book's length) are refused in Chinese within seconds, before or while they are read."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from data_layer.documents import sheets
from data_layer.documents.sheets import FileRefused, read_cells


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_all(data: bytes, name: str) -> int:
    _, rows = read_cells(data, name)
    return sum(1 for _ in rows)


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_parsed():
    small = io.BytesIO(workbook([["单位名称", "统一社会信用代码"], ["甲公司", "91370323MA3C5WQX4K"]]))
    with zipfile.ZipFile(small, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", b"\0" * (sheets.MAX_UNPACKED + 1))  # ≈100 KB packed
    data = small.getvalue()
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(FileRefused, match="解压后有 100 MB，超过 100 MB 的上限"):
        read_all(data, "名录.xlsx")
    assert time.monotonic() - started < 10


def test_rows_of_nothing_count_toward_the_rows_read():
    data = workbook([["单位名称"], *([[""]] * (sheets.MAX_ROWS_READ + 10))])
    with pytest.raises(FileRefused, match="空行也算在内"):
        read_all(data, "名录.xlsx")


@pytest.mark.parametrize("name", ["名录.csv", "名录.xlsx"])
def test_a_cell_of_a_book_s_length_is_named_by_its_row(name):
    long = "长" * (sheets.MAX_CELL + 1)
    rows = [["单位名称", "备注"], ["甲公司", "无"], ["乙公司", long]]
    data = "\n".join(",".join(r) for r in rows).encode("utf-8") if name.endswith("csv") else workbook(rows)
    with pytest.raises(FileRefused, match="第 3 行有一格超过 2,000 个字"):
        read_all(data, name)


def test_a_formula_is_read_by_its_saved_result_or_refused_by_its_cell():
    data = workbook([["单位名称", "在职职工人数"], ["甲公司", 120], ["乙公司", "=B2*2"]])  # no result saved
    with pytest.raises(FileRefused, match="单元格 B3 是公式，文件里没有保存它的计算结果"):
        read_all(data, "名录.xlsx")
    saved = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(saved, "w") as new:
        for part in old.infolist():  # as Excel saves it: the formula with its result
            body = old.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<f>B2*2</f><v></v>", b"<f>B2*2</f><v>240</v>").replace(
                    b"<f>B2*2</f></c>", b"<f>B2*2</f><v>240</v></c>"
                )
            new.writestr(part, body)
    _, rows = read_cells(saved.getvalue(), "名录.xlsx")
    assert [cells for _, cells in rows][2] == ["乙公司", 240]
