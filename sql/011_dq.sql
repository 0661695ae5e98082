-- Data quality: written by the load with the run's facts (etl/validate, GX suites in
-- expectations/). Quarantined rows are here and nowhere else: never in raw.facts or core.
CREATE SCHEMA IF NOT EXISTS dq;

-- One row per quarantined row and failed expectation.
CREATE TABLE IF NOT EXISTS dq.quarantine (
    run_id          VARCHAR,
    kind            VARCHAR,      -- fact / document
    row_id          VARCHAR,      -- fact_id or doc_id
    doc_id          VARCHAR,
    url             VARCHAR,      -- the document the row came from
    agency          VARCHAR,
    metric          VARCHAR,
    value           DOUBLE,
    unit            VARCHAR,
    quote           VARCHAR,
    expectation     VARCHAR,      -- the expectation's id in its suite
    reason          VARCHAR,      -- what failed, with the threshold actually used
    row             JSON,         -- the whole row as validated
    suite_version   VARCHAR,
    quarantined_at  TIMESTAMP
);

-- Warnings: the rows are loaded, but someone should look (e.g. a 10x year-on-year jump).
CREATE TABLE IF NOT EXISTS dq.warnings (
    run_id       VARCHAR,
    row_id       VARCHAR,
    doc_id       VARCHAR,
    url          VARCHAR,
    agency       VARCHAR,
    metric       VARCHAR,
    value        DOUBLE,
    unit         VARCHAR,
    quote        VARCHAR,
    expectation  VARCHAR,
    reason       VARCHAR,
    seen_at      TIMESTAMP
);

-- One row per expectation per run.
CREATE TABLE IF NOT EXISTS dq.results (
    run_id            VARCHAR,
    suite             VARCHAR,      -- documents / facts / anomalies
    suite_version     VARCHAR,
    expectation       VARCHAR,
    severity          VARCHAR,      -- error (quarantines) / warn (loads, listed)
    type              VARCHAR,      -- GX expectation type
    kwargs            JSON,         -- thresholds as run ($PARAMETERs filled in)
    element_count     BIGINT,
    unexpected_count  BIGINT,
    success           BOOLEAN,
    exception         VARCHAR,      -- set when the expectation could not be evaluated
    data_docs         VARCHAR,      -- the run's GX Data Docs page
    seen_at           TIMESTAMP
);
