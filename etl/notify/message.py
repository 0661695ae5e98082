"""The run's one message: a subject that says the verdict and the worst problems, then one
section per problem (what happened, what to do, the rows), counts, and links to pages that
exist (the run's own offline page). Plain text for mail and files, Markdown for chat tools.
Never any secret: the message is built from staging and the warehouse only. The verdict in
the subject is verdict.py's, the one every other reader shows."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, human_number
from .verdict import GREEN, RED, verdict_of

PRODUCT = "fzzf-etl"


@dataclass
class Message:
    run_id: str
    subject: str
    text: str
    markdown: str
    red: bool
    problems: list[Problem] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)     # label -> an existing file or URL
    verdict: str = ""                                        # red / needs a look / green

    def as_json(self) -> dict:
        return {"run_id": self.run_id, "subject": self.subject, "status": "failed" if self.red else "ok",
                "verdict": self.verdict, "text": self.text, "links": self.links,
                "problems": [{"kind": p.kind, "red": p.red, "title": p.title, "action": p.action,
                              "lines": p.lines} for p in self.problems]}


def _subject(run_id: str, problems: list[Problem], level: str) -> str:
    red = [p for p in problems if p.red]
    if level == RED:
        head = "FAILED: " + "; ".join(p.title for p in red[:3]) + (f" (+{len(red) - 3} more)" if len(red) > 3 else "")
    elif level != GREEN:
        head = "done, needs a look: " + "; ".join(p.title for p in problems[:3])
    else:
        head = "done, green: nothing to report"
    return f"[{PRODUCT}] run {run_id}: {head}"


def _counts_line(counts: dict) -> str:
    keys = ("documents_found", "documents_parsed", "documents_unchanged", "documents_failed",
            "facts_loaded", "facts_quarantined", "facts_warned")
    return ", ".join(f"{k.replace('_', ' ')} {human_number(counts[k])}" for k in keys if k in counts)


def existing_links(links: dict[str, str] | None) -> dict[str, str]:
    """Only links to something that exists: a URL, or a file that is there now."""
    return {k: v for k, v in (links or {}).items()
            if v and (v.startswith(("http://", "https://")) or Path(v).exists())}


def build_message(run_id: str, problems: list[Problem], counts: dict | None = None,
                  links: dict[str, str] | None = None) -> Message:
    counts, links = counts or {}, existing_links(links)
    verdict = verdict_of(run_id, problems)
    red = verdict.level == RED
    subject = _subject(run_id, problems, verdict.level)
    text, md = [subject, "", f"Verdict: {verdict.level}"], [f"**{subject}**", "", f"Verdict: **{verdict.level}**"]
    if counts:
        text.append("Load: " + _counts_line(counts))
        md.append("Load: " + _counts_line(counts))
    for p in problems:
        mark = "[RED] " if p.red else ""
        text += ["", f"{mark}{p.title}", f"  What to do: {p.action}"] + [f"  - {line}" for line in p.lines]
        md += ["", f"### {'🔴 ' if p.red else ''}{p.title}", f"*What to do:* {p.action}"] + [f"- {line}" for line in p.lines]
    for label, target in links.items():
        text += ["", f"{label}: {target}"]
        md += ["", f"{label}: {target}"]
    return Message(run_id, subject, "\n".join(text) + "\n", "\n".join(md) + "\n",
                   red, problems, links, verdict.level)
