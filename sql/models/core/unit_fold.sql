-- Counters that mean the same thing for a metric are folded to one unit before comparing:
-- 宗 is the written-register word for 件 (cases, applications); 起 counts cases and
-- incidents like 件 does. Anything not listed keeps its own unit (人 and 人次 differ).
-- `metric` NULL = every metric; (unit, metric) is unique (the fact table joins on it).
SELECT * FROM (VALUES
    ('宗', '件', NULL),
    ('起', '件', 'cases_handled'),
    ('起', '件', 'reconsideration_litigation'),
    ('起', '件', 'complaints_handled'),
    ('场次', '场', 'publicity_events'),
    ('场次', '场', 'trainings_held')
) AS t(unit, folded_unit, metric)
