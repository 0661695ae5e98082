"""The nightly run as plain functions, one per DAG task, passing files in the run's
staging folder (`<data>/staging/<run_id>/`). Nothing here imports Airflow: the DAG only
wires these, and `python -m etl run` calls them in order without it.

  staging.py   staging layout and the one atomic-write helper (json / jsonl / parquet)
  plan.py      sources split into shards; which planned sources never finished
  crawl.py     per shard: discover (listing pages) and fetch (articles, attachments)
  process.py   per shard: parse, inspect, normalize + extract
  validate.py  the whole run's facts through the GX suite
  load.py      the only DuckDB writer
  alert.py     one message per run when something needs a person
  runner.py    the whole DAG in one process (`python -m etl run`)

Modules are imported lazily by their callers so `import etl.pipeline` stays cheap.
"""
