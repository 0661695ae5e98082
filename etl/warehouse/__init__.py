"""The analysts' side of the warehouse.

  models.py    builds the staging / core / marts layers from sql/ inside the load's transaction
  docs.py      column documentation (sql/040_marts/*.md) read back and set as DuckDB comments
  snapshot.py  publishes a read-only copy (DuckDB file + Parquet) after each committed load
  query.py     `python -m etl sql` and `python -m etl shell` on the snapshot
  explain.py   `python -m etl explain <mart> <key...>`: a figure, its facts and their quotes
"""
