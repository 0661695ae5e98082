"""The subjects of percentage facts in Simplified characters (辦結率 -> 办结率), so a rate is
one measure whatever script its report was written in. A Python model: the conversion is
OpenCC's (etl.normalize.to_simplified), not expressible in SQL."""


def model(dbt, session):
    dbt.config(materialized="table")
    import pandas as pd

    from etl.extract.vocabulary import percent_units     # the knowledge seed_unit is made from
    from etl.normalize import to_simplified
    percent = set(percent_units())
    pairs = dbt.source("raw", "facts").filter("subject IS NOT NULL").project("subject, unit").distinct().df()
    subjects = sorted(set(pairs.loc[pairs["unit"].isin(percent), "subject"]))
    return pd.DataFrame({"subject": pd.Series(subjects, dtype=str),
                         "subject_hans": pd.Series([to_simplified(s) for s in subjects], dtype=str)})
