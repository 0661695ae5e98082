-- Raw layer: tables written only by the load task, one transaction per run.
-- Re-loading a document replaces its rows (keyed by doc_id), so runs are idempotent.
CREATE SCHEMA IF NOT EXISTS raw;

CREATE TABLE IF NOT EXISTS raw.sources (
    source_id      VARCHAR PRIMARY KEY,
    agency         VARCHAR NOT NULL,
    province       VARCHAR,
    province_code  VARCHAR,
    city           VARCHAR,
    county         VARCHAR,
    level          VARCHAR,
    listing_url    VARCHAR
);

CREATE TABLE IF NOT EXISTS raw.documents (
    doc_id             VARCHAR PRIMARY KEY,   -- hash of the report URL
    source_id          VARCHAR,
    url                VARCHAR NOT NULL,
    title              VARCHAR,
    fmt                VARCHAR,               -- html / pdf
    pages              INTEGER,
    pub_date           VARCHAR,
    content_source     VARCHAR,
    report_year        INTEGER,
    script             VARCHAR,               -- hans / hant
    inferred_agency    VARCHAR,               -- what the text itself says
    inferred_province  VARCHAR,
    content_sha256     VARCHAR NOT NULL,
    extractor_version  VARCHAR,
    text               VARCHAR,               -- as published: fact offsets point into it
    run_id             VARCHAR,
    loaded_at          TIMESTAMP
);

CREATE TABLE IF NOT EXISTS raw.facts (
    fact_id            VARCHAR PRIMARY KEY,   -- doc_id-seq
    doc_id             VARCHAR NOT NULL,
    seq                INTEGER NOT NULL,
    metric             VARCHAR,
    category           VARCHAR,
    value              DOUBLE,
    unit               VARCHAR,
    qualifier          VARCHAR,
    subject            VARCHAR,
    quote              VARCHAR,
    start_pos          INTEGER,
    end_pos            INTEGER,
    sentence           VARCHAR,
    part_of_seq        INTEGER,               -- seq of the total this fact breaks down
    extractor_version  VARCHAR,
    run_id             VARCHAR
);

-- Facts that failed data quality: kept with the reasons, never loaded into core.
CREATE TABLE IF NOT EXISTS raw.quarantine (
    fact_id    VARCHAR PRIMARY KEY,
    doc_id     VARCHAR NOT NULL,
    metric     VARCHAR,
    category   VARCHAR,
    value      DOUBLE,
    unit       VARCHAR,
    qualifier  VARCHAR,
    quote      VARCHAR,
    reasons    VARCHAR,
    run_id     VARCHAR
);

-- Documents that could not be fetched or parsed, per run (an analyst's to-do list).
CREATE TABLE IF NOT EXISTS raw.document_errors (
    run_id     VARCHAR,
    source_id  VARCHAR,
    url        VARCHAR,
    stage      VARCHAR,
    error      VARCHAR,
    seen_at    TIMESTAMP
);

CREATE TABLE IF NOT EXISTS raw.runs (
    run_id       VARCHAR PRIMARY KEY,
    loaded_at    TIMESTAMP,
    counts       JSON
);
