"""The run's own page: one self-contained HTML file (no script, no CDN, readable offline and
behind any firewall) with the verdict, the counts, every problem with its rows and every
expectation's result. The alert links it instead of GX Data Docs, whose pages load
bootstrap and jquery from public CDNs and render blank where those are unreachable."""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from .problems import Problem, human_number

CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:70em;padding:0 1em;color:#222}
h1{font-size:1.3em}h2{font-size:1.05em;margin-top:1.6em}.red{color:#b00020}.look{color:#8a5a00}.green{color:#1b6e20}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}li{margin:.2em 0;word-break:break-word}.ok{color:#1b6e20}.bad{color:#b00020}"""

_LEVEL_CLASS = {"red": "red", "needs a look": "look", "green": "green"}


def page_path(data_dir: Path, run_id: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
    return data_dir / "runs" / f"{safe}.html"


def _e(x) -> str:
    return html.escape(str(x if x is not None else ""))


def _expectations(results: pd.DataFrame) -> list[str]:
    if not len(results):
        return ["<p>No expectation ran tonight (nothing new to check).</p>"]
    cols = [c for c in ("suite", "expectation", "severity", "description", "element_count",
                        "unexpected_count", "success") if c in results]
    rows = ["<table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in cols) + "</tr>"]
    for r in results[cols].itertuples(index=False):
        cells = []
        for c, v in zip(cols, r):
            if c == "success":
                cells.append(f"<td class={'ok' if v else 'bad'}>{'passed' if v else 'FAILED'}</td>")
            else:
                cells.append(f"<td>{_e(human_number(v) if isinstance(v, float) else v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows + ["</table>"]


def render_page(run_id: str, level: str, problems: list[Problem], counts: dict,
                results: pd.DataFrame | None = None) -> str:
    out = ["<!doctype html><html lang=en><meta charset=utf-8>",
           "<meta name=viewport content='width=device-width,initial-scale=1'>",
           f"<title>run {_e(run_id)}: {_e(level)}</title><style>{CSS}</style>",
           f"<h1>Run {_e(run_id)}: <span class={_LEVEL_CLASS.get(level, 'red')}>{_e(level)}</span></h1>"]
    if counts:
        out.append("<h2>Counts</h2><table>" + "".join(
            f"<tr><th>{_e(k.replace('_', ' '))}</th><td>{_e(human_number(v))}</td></tr>" for k, v in counts.items())
            + "</table>")
    for p in problems:
        cls = "red" if p.red else "look"
        out.append(f"<h2 class={cls}>{'[RED] ' if p.red else ''}{_e(p.title)}</h2><p><b>What to do:</b> {_e(p.action)}</p>")
        if p.lines:
            out.append("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in p.lines) + "</ul>")
    if not problems:
        out.append("<p class=green>Nothing lost, nothing to look at.</p>")
    out.append("<h2>Expectations (great-expectations, this run)</h2>")
    out += _expectations(results if results is not None else pd.DataFrame())
    return "\n".join(out) + "\n"


def write_page(data_dir: Path, run_id: str, level: str, problems: list[Problem], counts: dict,
               results: pd.DataFrame) -> Path:
    """The page, written atomically (a reader never sees half of it); `results` are the
    run's dq.results rows (etl.runstore.DQ_RESULTS)."""
    out = page_path(data_dir, run_id)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(render_page(run_id, level, problems, counts, results), encoding="utf-8")
    tmp.replace(out)
    return out
