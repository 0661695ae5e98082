-- 政府信息公开年报 (etl/disclosure): what the reader could not read, the checks that did not
-- hold, the warnings across years and between prose and tables, and people's reviews.
-- An inconsistent report is loaded with its flags; only a report whose tables could not be
-- read at all is quarantined whole (raw.disclosure_reports.status = 'quarantined').

-- Why a cell has no figure (status unread / unaligned); which cells a failed check involves.
ALTER TABLE raw.disclosure_cells ADD COLUMN IF NOT EXISTS note VARCHAR;
ALTER TABLE raw.disclosure_cells ADD COLUMN IF NOT EXISTS flagged BOOLEAN;   -- in a failed check

-- One row per check of a loaded report that did not hold: failed (the figures as published
-- disagree) or not_evaluated (a term was not read: `unread` says which and why).
CREATE TABLE IF NOT EXISTS dq.disclosure_checks (
    doc_id       VARCHAR NOT NULL,
    check_name   VARCHAR,                     -- rule:key, e.g. appeal_total:reconsideration
    status       VARCHAR,                     -- failed / not_evaluated
    equation     VARCHAR,                     -- metric ids: lhs = rhs terms ('' for a value check)
    lhs          DOUBLE,
    rhs          DOUBLE,
    figures      JSON,                        -- metric -> raw text as published
    cells        JSON,                        -- the metrics the check involves
    unread       JSON,                        -- metric -> why it has no figure (not_evaluated)
    convention   VARCHAR,                     -- how blank / 不适用 terms were counted, when any
    description  VARCHAR,
    reasons      VARCHAR,                     -- the GX expectations it failed
    run_id       VARCHAR,
    seen_at      TIMESTAMP
);

-- A person's review of a flagged report (python -m etl disclosure review DOC --by NAME
-- --decision accepted|rejected): accepted = its figures stand as published (the marts use
-- its flagged cells), rejected = left out of the marts. The latest review counts.
CREATE TABLE IF NOT EXISTS dq.disclosure_review (
    doc_id       VARCHAR NOT NULL,
    decision     VARCHAR NOT NULL,            -- accepted / rejected
    reviewed_by  VARCHAR NOT NULL,
    note         VARCHAR,
    reviewed_at  TIMESTAMP NOT NULL
);

-- Warnings across reports (sql/disclosure/warnings.sql, recomputed by every load): the same
-- agency's consecutive years (上年结转 = last year's 结转下年度; 现行有效 = last year's +
-- 本年制发 - 本年废止) and section 一's stated figures against the tables. Both figures kept.
CREATE TABLE IF NOT EXISTS dq.disclosure_warnings (
    kind         VARCHAR,                     -- crossyear / prose
    rule         VARCHAR,                     -- carry_over, in_force:<item>, stated:<figure>
    source_id    VARCHAR,
    agency       VARCHAR,
    doc_id       VARCHAR,                     -- the report the warning is shown on (the later year)
    report_year  INTEGER,
    prev_doc_id  VARCHAR,                     -- crossyear: last year's report
    equation     VARCHAR,
    lhs          DOUBLE,
    rhs          DOUBLE,
    holds        BOOLEAN,
    figures      JSON,                        -- the figures as published, by year / by place
    seen_at      TIMESTAMP
);
