"""Benchmark `sengen report` on a city-sized data set: 15 departments × 40 indicators × 5 fiscal years.

Generates sengen/1 records (FY2016–FY2020, one plan FY2016–FY2020), loads them with
catalog.loader.load into a temporary SQLite database, then times `report --kind declarations` and
`--kind achievement` for the whole city in the last year and prints the seconds and page counts.

    .venv/bin/python scripts/bench_report.py [--departments 15] [--indicators 40] [--years 5]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

FIRST_YEAR = 2016


def _records(departments: int, indicators: int, years: int):
    from sengen.interchange import models as rec

    last = FIRST_YEAR + years - 1
    plan = rec.Plan(name="中期戦略事業プラン", start_year=FIRST_YEAR, end_year=last)
    declarations = []
    for d in range(1, departments + 1):
        name = f"第{d}部"
        sections = [rec.Section(name=f"{name}第{k}課", units=[f"{name}第{k}課企画担当"]) for k in range(1, 5)]
        for year in range(FIRST_YEAR, last + 1):
            kpis = []
            for k in range(1, indicators + 1):
                base = Decimal(100 * k + d)
                # Some rise, some fall, some stall: every status shows up somewhere.
                step = Decimal((k % 7) - 2) * Decimal(k) / 2
                kpis.append(
                    rec.Indicator(
                        project=rec.Project(number=f"{d:02d}-{100 + k}", name=f"{name}の事業{k}"),
                        name=f"{name}の事業指標{k}",
                        unit="件",
                        owners=[rec.Owner(section=sections[k % 4].name)],
                        baseline=rec.Baseline(fiscal_year=FIRST_YEAR - 1, value=base),
                        observations=[
                            rec.Observation(
                                fiscal_year=y,
                                kind="actual" if y < year - 1 else "estimate",
                                value=base + step * (y - FIRST_YEAR + 1),
                            )
                            for y in range(FIRST_YEAR, year)
                        ],
                        targets=[rec.Target(fiscal_year=last, value=base + 10 * k, set_in=FIRST_YEAR - 1)],
                    )
                )
            declarations.append(
                rec.Declaration(
                    fiscal_year=year,
                    department=name,
                    head=rec.Head(title=f"{name}長"),
                    message=[f"{name}は、市民の暮らしを支える事業を着実に進めます。" * 3] * 3,
                    roles=[f"{name}の役割{r}" for r in range(1, 7)],
                    sections=sections,
                    policies=[
                        rec.Policy(
                            number=p, title=f"取組方針{p}", body=f"{name}の取組方針{p}の本文です。" * 4
                        )
                        for p in range(1, 6)
                    ],
                    plan=plan,
                    indicators=kpis,
                )
            )
    return rec.Document(declarations=declarations), last


def _pages(pdf: Path) -> str:
    try:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--departments", type=int, default=15)
    parser.add_argument("--indicators", type=int, default=40)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sengen-bench-") as tmp:
        folder = Path(tmp)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        os.environ["SENGEN_VAR_DIR"] = str(folder / "var")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sengen.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from sengen.catalog.loader import load

        call_command("migrate", verbosity=0)
        document, last = _records(args.departments, args.indicators, args.years)
        started = time.perf_counter()
        load([document], source="bench")
        print(
            f"loaded {len(document.declarations)} declarations "
            f"({args.departments} departments × {args.indicators} indicators × {args.years} years) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        for kind in ("declarations", "achievement"):
            out = folder / f"{kind}.pdf"
            started = time.perf_counter()
            call_command("report", year=last, kind=kind, format="pdf", output=str(out))
            seconds = time.perf_counter() - started
            size = out.stat().st_size / 1_000_000
            print(f"report --kind {kind}: {seconds:.1f} s, {_pages(out)} pages, {size:.1f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
