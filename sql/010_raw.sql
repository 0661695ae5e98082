-- Raw layer: tables written only by the load task, one transaction per run.
-- Re-loading a document replaces its rows (keyed by doc_id), so runs are idempotent.
-- This DDL is the one definition of the raw columns: the load inserts BY NAME whatever of
-- these columns a batch carries (etl/load/schema.py), tests check the records against it.
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
    loaded_at          TIMESTAMP,
    suite_version      VARCHAR,               -- data-quality suite its facts were checked by
    fetched            JSON                   -- the fetch record (blob hashes): reprocess input
);
-- how the text was read (etl/parse): OCR'd pages, and a tool the file still needs
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS ocr BOOLEAN;              -- (some) text OCR'd from page images
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS ocr_confidence DOUBLE;    -- mean Tesseract word confidence, 0-100
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS needs VARCHAR;            -- needs_ocr / needs_libreoffice
-- warehouses created before a column existed get it here (no-op otherwise)
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS suite_version VARCHAR;
-- who wrote it, and what discovery decided (a report republished in another agency's
-- column keeps its writer as agency; the column owner is portal_agency)
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS report_kind VARCHAR;     -- rule_of_law / disclosure
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS agency VARCHAR;          -- the writer
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS portal_agency VARCHAR;   -- the column's owner
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS province VARCHAR;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS province_code VARCHAR;
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS final_url VARCHAR;       -- after redirects
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS listed_date VARCHAR;     -- date beside the listing link
-- the writer's region chain (etl/metadata/writer.py) and what the document was decided to be
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS city VARCHAR;            -- the writer's prefecture
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS county VARCHAR;          -- the writer's county (区/县/县级市)
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS level VARCHAR;           -- national / province / city / county
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS region_code VARCHAR;     -- the writer's region (100000: national)
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS writer_source VARCHAR;   -- title / heading / opening / signature / publisher / column
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS decision_reason VARCHAR; -- why it is (report_kind) or is not (decoy) a report
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS publisher VARCHAR;       -- the page's 发布机构 field (a writer source)

-- Every item a listing showed, per run, with discovery's decision and its reason:
-- report / decoy / off-host / robots-refused / over-cap / failed (the listing itself), and
-- the links of a fetched report that were refused (via = attachment: off-host,
-- robots-refused, not-a-document). A listed report that fetch could not have takes the
-- reason's kind as its decision (too-large, timeout, not-a-document...: raw.document_errors
-- has its row). A decoy, an off-host or a robots-refused link is not a failed document.
CREATE TABLE IF NOT EXISTS raw.discovery (
    run_id       VARCHAR NOT NULL,
    source_id    VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    title        VARCHAR,
    decision     VARCHAR NOT NULL,
    reason       VARCHAR,
    kind         VARCHAR,               -- rule_of_law / disclosure (reports)
    report_year  INTEGER,               -- from the title; NULL: the text decides
    listed_date  VARCHAR,
    listing_url  VARCHAR,               -- the page (or API answer) that listed it
    via          VARCHAR,               -- the listing convention that found it
    seen_at      TIMESTAMP
);
ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS fetched JSON;

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

-- the keyword or rule that decided the category (python -m etl extract --explain prints it)
ALTER TABLE raw.facts ADD COLUMN IF NOT EXISTS category_reason VARCHAR;

-- Facts a reload replaced by a different fact or no longer reads (new extractor version,
-- republished report): still queryable. A fact reloaded unchanged is not copied here.
-- Derived from raw.facts so the columns are written once.
CREATE TABLE IF NOT EXISTS raw.fact_versions AS
    SELECT *, NULL::VARCHAR AS superseded_by_run, NULL::TIMESTAMP AS superseded_at
    FROM raw.facts LIMIT 0;

-- Documents that could not be fetched or parsed, per run (an analyst's to-do list).
CREATE TABLE IF NOT EXISTS raw.document_errors (
    run_id     VARCHAR,
    source_id  VARCHAR,
    url        VARCHAR,
    stage      VARCHAR,
    error      VARCHAR,
    seen_at    TIMESTAMP
);
-- a document that yielded no text: which bytes and which extractor said so, so an
-- unchanged one is not parsed again every night (its error is repeated, not lost)
ALTER TABLE raw.document_errors ADD COLUMN IF NOT EXISTS doc_id VARCHAR;
ALTER TABLE raw.document_errors ADD COLUMN IF NOT EXISTS content_sha256 VARCHAR;
ALTER TABLE raw.document_errors ADD COLUMN IF NOT EXISTS extractor_version VARCHAR;
-- why, in one word (etl/http.py ERROR_KINDS): too-large / timeout / budget-exhausted / blocked /
-- http-status / connection / redirect / not-a-document / failed for fetch; unreadable for
-- parse; the same word as the listed report's decision in raw.discovery
ALTER TABLE raw.document_errors ADD COLUMN IF NOT EXISTS kind VARCHAR;

CREATE TABLE IF NOT EXISTS raw.runs (
    run_id       VARCHAR PRIMARY KEY,
    loaded_at    TIMESTAMP,
    counts       JSON
);

-- Each rebuild of the modelled layers (etl/warehouse/models.py): a load whose model inputs
-- hash the same as the last build's (an unchanged night) does not rebuild them.
CREATE TABLE IF NOT EXISTS raw.model_builds (
    run_id       VARCHAR,
    built_at     TIMESTAMP,
    inputs       VARCHAR      -- sha256 of the model files, their frames and the raw rows they read
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
