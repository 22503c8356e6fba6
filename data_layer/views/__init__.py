"""One module per board: ``build(view) -> Board`` — what the page draws, the slide and the deck show, the Excel
download writes and the work report words (data_layer/views/board.py)."""

from data_layer.views import (  # noqa: F401 (the boards, for ``views.<board>.build``)
    attention,
    levy,
    meeting,
    other_work,
    overview,
    projects,
    publicity,
    quality,
    sources,
    subsidies,
)
