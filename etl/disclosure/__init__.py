"""政府信息公开工作年度报告: the national format's tables read cell by cell and checked.

    kind.py         which kind of report a document is (title, section headings, discovery's hint)
    layout.py       the format as data: sections, rows, columns, stable metric ids
    labels.py       fuzzy label matching (folded text, keywords, similarity, ordinals)
    cells.py        one record per cell, its raw text and status, never guessed
    match.py        rows of any layout -> cells (headers set columns, labels pick rows)
    grid.py         merged-cell grids and their rows
    html_tables.py  <table> with rowspan/colspan -> grids
    pdf_tables.py   ruled PDF tables (pdfplumber) -> grids
    text_tables.py  the flattened form (a cell or a row per line, TSV) -> cells
    reader.py       one report -> cells from whichever layout holds its tables
    prose.py        figures the format puts in prose (六: 信息处理费)
    checks.py       the format's consistency equations
    validate.py     the GX suite (expectations/disclosure.json); failing reports held whole
    stage.py        the nightly run's process / validate / load / alert hooks
    load.py         raw.disclosure_* rows inside the load's transaction
    summary.py cli.py   `make demo`'s line; `python -m etl disclosure FILE...`
"""
