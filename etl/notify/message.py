"""The run's one message: a subject that says the verdict and the worst problems, then one
section per problem (what happened, what to do, the rows), counts, and the Data Docs link.
Plain text for mail and files, Markdown for chat tools. Never any secret: the message is
built from staging and the warehouse only."""
from __future__ import annotations

from dataclasses import dataclass, field

from .problems import Problem

PRODUCT = "fzzf-etl"


@dataclass
class Message:
    run_id: str
    subject: str
    text: str
    markdown: str
    red: bool
    problems: list[Problem] = field(default_factory=list)
    data_docs: str = ""

    def as_json(self) -> dict:
        return {"run_id": self.run_id, "subject": self.subject, "status": "failed" if self.red else "ok",
                "text": self.text, "data_docs": self.data_docs,
                "problems": [{"kind": p.kind, "red": p.red, "title": p.title, "action": p.action,
                              "lines": p.lines} for p in self.problems]}


def _subject(run_id: str, problems: list[Problem]) -> str:
    red = [p for p in problems if p.red]
    if red:
        head = "FAILED: " + "; ".join(p.title for p in red[:3]) + (f" (+{len(red) - 3} more)" if len(red) > 3 else "")
    elif problems:
        head = "done, needs a look: " + "; ".join(p.title for p in problems[:3])
    else:
        head = "done, nothing to report"
    return f"[{PRODUCT}] run {run_id}: {head}"


def _counts_line(counts: dict) -> str:
    keys = ("documents_found", "documents_parsed", "documents_unchanged", "documents_failed",
            "facts_loaded", "facts_quarantined", "facts_warned")
    return ", ".join(f"{k.replace('_', ' ')} {counts[k]}" for k in keys if k in counts)


def build_message(run_id: str, problems: list[Problem], counts: dict | None = None,
                  data_docs: str = "") -> Message:
    counts = counts or {}
    red = any(p.red for p in problems)
    text, md = [_subject(run_id, problems), ""], [f"**{_subject(run_id, problems)}**", ""]
    if counts:
        text.append("Load: " + _counts_line(counts))
        md.append("Load: " + _counts_line(counts))
    for p in problems:
        mark = "[RED] " if p.red else ""
        text += ["", f"{mark}{p.title}", f"  What to do: {p.action}"] + [f"  - {line}" for line in p.lines]
        md += ["", f"### {'🔴 ' if p.red else ''}{p.title}", f"*What to do:* {p.action}"] + [f"- {line}" for line in p.lines]
    if data_docs:
        text += ["", f"Data quality report (GX Data Docs): {data_docs}"]
        md += ["", f"Data quality report (GX Data Docs): {data_docs}"]
    return Message(run_id, _subject(run_id, problems), "\n".join(text) + "\n", "\n".join(md) + "\n",
                   red, problems, data_docs)
