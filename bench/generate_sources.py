#!/usr/bin/env python3
"""Write N synthetic sources shaped like the seed's real sentences, with varied numbers and dates.

The sentences are the seed's own headline sentences (English and Traditional Chinese) with the
figures replaced so that they stay consistent (share = done / total at one decimal), and each
source is dated one month after the previous, so the combined steps see a realistic time series.
Generated files are for benchmarks only and are never committed.

usage: bench/generate_sources.py N DEST_DIR [--start 2022-05-17] [--seed 1]
"""

import argparse
import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

EN = (
    "Since the approval in April 2021, Chongqing, centering on the {total} tasks of the Overall Plan, "
    "has focused on building a pioneering zone for the development of the modern service sector in inland China.\n"
    "On {month_name} {day}th, at the press conference, the Director-General briefed the achievements: "
    "1) among the {total} tasks of the Overall Plan approved by the State Council, {done} have been carried out, "
    "accounting for {share}%; 2) more than {reforms} pioneering and differentiated reforms have been conducted; "
    "3) {projects} modern service projects have been launched; 4) {policies} supporting policies for the trails "
    "have been introduced.\n"
    "According to Zhang, a three-year comprehensive trial to further open up the service sector was launched.\n"
)
ZH = (
    "重慶自2021年4月綜合試點獲批以來,圍繞總體方案{total}項試點任務,聚焦內陸現代服務業發展先行區建設。\n"
    "{month}月{day}日,新聞發布會上介紹了取得的顯著成效:國務院批復的試點總體方案{total}項任務已實施{done}項,"
    "實施率{share}%,開展首創性差異化改革探索{reforms}余項,{projects}個現代服務業項目落地,出臺試點配套政策文件{policies}個。\n"
    "章勇武介紹,服務業擴大開放綜合試點為期三年,一年起步,兩年見成效,三年出成果。\n"
)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    return dt.date(day.year + index // 12, index % 12 + 1, min(day.day, 28))


def source_text(done: int, total: int, reforms: int, projects: int, policies: int, date: dt.date) -> str:
    share = (Decimal(done) / Decimal(total) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    values = {"total": total, "done": done, "share": share, "reforms": reforms, "projects": projects,
              "policies": policies, "month": date.month, "day": date.day, "month_name": MONTHS[date.month - 1]}
    return "Synthetic\n" + EN.format(**values) + ZH.format(**values)


def metadata(index: int, date: dt.date) -> str:
    return (f"title: {{en: \"Synthetic source {index}\", zh: \"合成來源{index}\"}}\n"
            f"author: {{en: Bench, zh: 測試}}\ndate: {date.isoformat()}\npublisher: bench\nurl: null\n"
            "languages: [en, zh-Hant]\n")


def generate(n: int, dest: Path, start: dt.date, rng: random.Random, prefix: str = "synthetic") -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    offset = rng.randint(0, 3)
    for i in range(n):
        # One monthly series over the 36 months of the pilot; past 36 sources, several outlets
        # report the same month with the same figures (sources of one date must agree).
        k = i % 36
        date = add_months(start, k)
        path = dest / f"{prefix}-{i:04d}.txt"
        path.write_text(source_text(min(86, 69 + (k * 17) // 35 + offset), 86, 40 + k % 10, 300 + k, 50 + k % 9, date), encoding="utf-8")
        (dest / f"{prefix}-{i:04d}.yaml").write_text(metadata(i, date), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many sources")
    parser.add_argument("dest", type=Path, help="folder to write {prefix}-NNNN.txt/.yaml into")
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2022, 6, 17))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="synthetic")
    args = parser.parse_args()
    paths = generate(args.n, args.dest, args.start, random.Random(args.seed), args.prefix)
    print(f"wrote {len(paths)} sources to {args.dest}")


if __name__ == "__main__":
    main()
