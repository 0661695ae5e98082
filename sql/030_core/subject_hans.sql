-- The subjects of percentage facts in Simplified characters (辦結率 -> 办结率), computed by
-- the build (etl.normalize.to_simplified, registered as `src_subject_hans`), so a rate is
-- one measure whatever script its report was written in.
CREATE SCHEMA IF NOT EXISTS core;

CREATE OR REPLACE TABLE core.subject_hans AS
SELECT DISTINCT subject, subject_hans FROM src_subject_hans;
