"""政府信息公开工作年度报告: the national format's tables read cell by cell and checked.

    kind.py         which kind of report a document is (title, section headings, discovery's hint)
    layout.py       the format as data: sections, rows, columns, stable metric ids
    labels.py       fuzzy label matching (folded text, keywords, similarity, ordinals)
    cells.py        one record per cell, its raw text and status, never guessed
    match.py        rows of any layout -> cells (headers set columns, labels pick rows)
    grid.py         merged-cell grids and their rows
    html_tables.py  <table> with rowspan/colspan -> grids
    pdf_tables.py   ruled PDF tables (pdfplumber) -> grids
    text_tables.py  the flattened form (a cell or a row per line, TSV) and text layers -> cells
    reader.py       one report -> cells from whichever layout holds its tables
    completeness.py every cell the report's layout expects: read, or unread with its reason
    prose.py        figures the format puts in prose (六: 信息处理费; 一: stated 新收/结转/复议/诉讼)
    checks.py       the format's consistency equations (failed / not_evaluated with the unread terms)
    validate.py     the GX suite (expectations/disclosure.json); failing checks flag, never hold
    stage.py        the nightly run's process / validate / load / alert hooks
    load.py         raw.disclosure_*, dq.disclosure_checks, dq.disclosure_warnings in the load
    review.py       a person's review of a flagged report (dq.disclosure_review), marts rebuilt
    summary.py cli.py   `make demo`'s line; `python -m etl disclosure FILE...`
"""
