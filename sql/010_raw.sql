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

-- 政府信息公开工作年度报告 (etl/disclosure): one row per report read, with what became of it.
CREATE TABLE IF NOT EXISTS raw.disclosure_reports (
    doc_id             VARCHAR PRIMARY KEY,
    source_id          VARCHAR,
    url                VARCHAR,
    title              VARCHAR,
    report_year        INTEGER,
    agency             VARCHAR,
    province           VARCHAR,
    province_code      VARCHAR,
    pub_date           VARCHAR,
    layout             VARCHAR,               -- html / pdf / text: where the cells were read
    status             VARCHAR,               -- loaded / quarantined / no_tables
    n_cells            INTEGER,
    tried              VARCHAR,               -- what each layout gave
    content_sha256     VARCHAR,
    extractor_version  VARCHAR,
    text               VARCHAR,               -- the report as text (prose sections kept)
    run_id             VARCHAR,
    loaded_at          TIMESTAMP
);

-- One row per table cell, as published. held: the report failed a consistency rule and is
-- quarantined whole (raw.disclosure_quarantine says why); held cells never reach core.
CREATE TABLE IF NOT EXISTS raw.disclosure_cells (
    doc_id     VARCHAR NOT NULL,
    metric     VARCHAR NOT NULL,              -- e.g. xxgk.requests.new.natural_person
    section    VARCHAR,                       -- active / requests / appeals
    row_label  VARCHAR,
    col_label  VARCHAR,
    unit       VARCHAR,
    value      DOUBLE,                        -- status = number only
    raw        VARCHAR,                       -- the cell's text ('' when empty)
    status     VARCHAR,                       -- number / blank / dash / text / unaligned
    layout     VARCHAR,
    tbl        INTEGER,                       -- provenance: table, row, column
    row_no     INTEGER,
    col_no     INTEGER,
    match      VARCHAR,                       -- label / position
    held       BOOLEAN,
    run_id     VARCHAR,
    PRIMARY KEY (doc_id, metric)
);

-- Failing consistency checks of quarantined disclosure reports: the equation and figures.
CREATE TABLE IF NOT EXISTS raw.disclosure_quarantine (
    doc_id       VARCHAR NOT NULL,
    check_name   VARCHAR,                     -- rule:key, e.g. appeal_total:reconsideration
    equation     VARCHAR,
    lhs          DOUBLE,
    rhs          DOUBLE,
    figures      JSON,                        -- metric -> raw text as published
    description  VARCHAR,
    reasons      VARCHAR,
    run_id       VARCHAR
);
