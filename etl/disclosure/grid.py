"""Tables as grids of merged cells, and grids as rows for the matcher."""
from __future__ import annotations

from dataclasses import dataclass

from .match import Row, Slot, split_row


@dataclass(eq=False)
class GridCell:
    """A published cell: its text and the grid area it covers (identity = the cell)."""
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    index: int                              # table number in the document
    width: int
    rows: list[list[GridCell | None]]       # every position; a merged cell repeats


def build_grid(index: int, rows: list[list[tuple[str, int, int]]]) -> Grid:
    """(text, rowspan, colspan) per published cell, row by row -> a grid where a merged
    cell occupies every position it covers (HTML's table model)."""
    taken: dict[tuple[int, int], GridCell] = {}
    width = 0
    for r, cells in enumerate(rows):
        c = 0
        for text, rs, cs in cells:
            while (r, c) in taken:
                c += 1
            cell = GridCell(text, r, c, max(rs, 1), max(cs, 1))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.setdefault((r + dr, c + dc), cell)
            c += cell.colspan
            width = max(width, c)
    height = max([r for r, _ in taken] + [len(rows) - 1]) + 1 if taken else 0
    grid = [[taken.get((r, c)) for c in range(width)] for r in range(min(height, len(rows)))]
    return Grid(index, width, grid)


def grid_rows(grid: Grid) -> list[Row]:
    """Each grid row as label cells then figure cells, merged cells once per row."""
    out = []
    for r, positions in enumerate(grid.rows):
        distinct: list[GridCell] = []
        for cell in positions:
            if cell is not None and (not distinct or distinct[-1] is not cell) and cell not in distinct:
                distinct.append(cell)
        if not distinct:
            continue
        # Blank cells a rowspan continues from above are labels' places, not figures.
        texts = [c.text for c in distinct]
        lab_i, val_i = split_row(texts)
        labels = [Slot(distinct[i].text, distinct[i].col, distinct[i].colspan) for i in lab_i]
        values = [Slot(distinct[i].text, distinct[i].col, distinct[i].colspan) for i in val_i
                  if distinct[i].row == r or distinct[i].rowspan == 1]
        out.append(Row(labels=labels, values=values, width=grid.width, table=grid.index, row=r))
    return out
