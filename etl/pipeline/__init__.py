"""The nightly run as plain functions, one per DAG task, passing typed records through the
run store (etl/runstore.py: `<data>/staging/<run_id>/`). Nothing here imports Airflow: the DAG only
wires these, and `python -m etl run` calls them in order without it.

  plan.py      sources split into shards; the run's params
  crawl.py     per shard: discover (listing pages) and fetch (articles, attachments)
  process.py   per shard: parse, inspect, normalize + extract
  validate.py  the whole run's facts through the GX suite
  load.py      the only DuckDB writer
  alert.py     one message per run when something needs a person
  runner.py    the whole DAG in one process (`python -m etl run`)

Modules are imported lazily by their callers so `import etl.pipeline` stays cheap.
"""
