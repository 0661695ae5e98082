"""The night's one verdict: red / needs a look / green, decided here and only here.

The alert (subject and status), the finish task (the DAG run's state), `make demo` and
`python -m etl report` all read it from `run_verdict`; the README's table "What is red,
what needs a look, what is green" lists SEVERITY (tests/test_alerts.py keeps them equal).

Red means something registered tonight is not in the warehouse or was not checked: a listed
report that could not be fetched or read is a lost document (every refusal other than
robots.txt / off-host is an error row with its reason, see raw.document_errors).
"""
from __future__ import annotations

from dataclasses import dataclass, field

RED, LOOK, GREEN = "red", "needs a look", "green"

# problem kind -> (level, what it means); unknown kinds are red (nothing slips through green)
SEVERITY: dict[str, tuple[str, str]] = {
    "load_failed": (RED, "the load failed or did not run: the warehouse is unchanged"),
    "build_failed": (RED, "dbt build failed (a model or a schema test): analysts keep the last good snapshot"),
    "validate_failed": (RED, "the data-quality checks could not run: nothing was loaded"),
    "expectation_not_evaluated": (RED, "an expectation could not be evaluated (its rows held back)"),
    "shard_unfinished": (RED, "sources whose crawl did not finish"),
    "registry_problem": (RED, "registry entries that cannot run"),
    "listing_failed": (RED, "a listing page that failed"),
    "documents_failed": (RED, "a listed report that could not be fetched or read (lost tonight)"),
    "documents_dropped": (RED, "a document dropped without an error row"),
    "source_vanished": (RED, "a source that had reports and lists none"),
    "task_failed": (RED, "a task that failed for good"),
    "alert_missing": (RED, "the alert did not run: nobody was told"),
    "alert_undelivered": (RED, "a configured alert channel did not take the message"),
    "disclosure_quarantined": (LOOK, "a 政府信息公开年报 failing a consistency rule (held back)"),
    "build_warned": (LOOK, "a dbt test of severity warn found rows (e.g. a category the catalog no longer has)"),
    "quarantined": (LOOK, "facts that failed an error expectation (held in dq.quarantine)"),
    "anomalies": (LOOK, "facts loaded with a warning (e.g. a year-on-year jump)"),
}


def level_of(kind: str) -> str:
    return SEVERITY.get(kind, (RED, ""))[0]


@dataclass
class Verdict:
    run_id: str
    level: str                                   # RED / LOOK / GREEN
    reasons: list[str] = field(default_factory=list)    # red first, then what needs a look
    kinds: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        """The DAG run's state: only red fails the run."""
        return "failed" if self.level == RED else "success"

    def as_json(self) -> dict:
        return {"run_id": self.run_id, "state": self.state, "verdict": self.level,
                "reasons": self.reasons, "kinds": self.kinds}

    def line(self) -> str:
        """One line for people: `red: 3 reasons ...`."""
        if self.level == GREEN:
            return "green: nothing lost, nothing to look at"
        return f"{self.level}: " + " | ".join(self.reasons)


def _reason(p, first_line: bool) -> str:
    """A problem's title, for red ones with its first row (the cause, the first URL)."""
    return p.title + (f": {p.lines[0]}" if first_line and p.lines else "")


def verdict_of(run_id: str, problems: list, alert: dict | None | bool = False) -> Verdict:
    """The verdict of a run's problems (etl.notify.problems.Problem). `alert` is the alert
    task's outcome (staging alert.json) once it ran, None when it did not, False while the
    alert itself is being built (its delivery is then not part of the question)."""
    from .problems import Problem
    problems = list(problems)
    if alert is None:
        problems.append(Problem("alert_missing", True, "The alert did not run: nobody was told about this run",
                                "See the alert task's log.", []))
    elif isinstance(alert, dict) and alert.get("failed"):
        problems.append(Problem("alert_undelivered", True, "Alert not delivered via " + ", ".join(sorted(alert["failed"])),
                                "Check the channel's settings (ETL_ALERT_* or the fzzf_<channel> connection).",
                                [f"{k}: {v}" for k, v in sorted(alert["failed"].items())]))
    red = [p for p in problems if level_of(p.kind) == RED]
    look = [p for p in problems if level_of(p.kind) == LOOK]
    level = RED if red else LOOK if look else GREEN
    return Verdict(run_id, level, [_reason(p, True) for p in red] + [_reason(p, False) for p in look],
                   [p.kind for p in red + look])


def run_verdict(settings, run_id: str, alert: dict | None | bool = False, problems: list | None = None) -> Verdict:
    """The verdict of a run from its staging folder and the warehouse (the one computation)."""
    from .problems import run_problems
    return verdict_of(run_id, run_problems(settings, run_id) if problems is None else problems, alert)
