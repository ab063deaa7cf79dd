#!/usr/bin/env python3
"""Build neighbourhoods/data/communes.csv.gz from the official list of French communes.

Source: npm package @etalab/decoupage-administratif 6.0.0, file data/communes.json
(data under Licence Ouverte / Etalab 2.0; the package's code is MIT).

Usage:
    cd /tmp/somewhere && npm pack @etalab/decoupage-administratif && tar xzf etalab-*.tgz
    python scripts/build_communes_data.py /tmp/somewhere/package/data/communes.json

Only "commune-actuelle" entries are kept: arrondissements municipaux and communes
déléguées/associées are parts of a current commune, not communes of their own.
Stdlib only, so it runs without the project's virtualenv.
"""

import argparse
import csv
import gzip
import io
import json
import sys
from collections import defaultdict
from pathlib import Path

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "neighbourhoods" / "data" / "communes.csv.gz"
HEADER = ["insee_code", "name", "department_code", "postcodes"]


def load_entries(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        entries = json.load(handle)
    if not isinstance(entries, list):
        raise SystemExit(f"{path}: expected a JSON list of communes")
    return entries


def arrondissement_postcodes(entries: list[dict]) -> dict[str, set[str]]:
    """Postcodes of Paris, Lyon and Marseille's arrondissements, by parent commune."""
    by_parent = defaultdict(set)
    for entry in entries:
        if entry.get("type") == "arrondissement-municipal" and entry.get("commune"):
            by_parent[entry["commune"]].update(entry.get("codesPostaux") or [])
    return by_parent


def build_rows(entries: list[dict]) -> list[list[str]]:
    fallback = arrondissement_postcodes(entries)
    rows = []
    for entry in entries:
        if entry.get("type") != "commune-actuelle":
            continue
        code = entry["code"]
        # The communes with arrondissements list their postcodes today; the union is a
        # safety net should a later release leave them only on the arrondissements.
        postcodes = set(entry.get("codesPostaux") or []) or fallback.get(code, set())
        rows.append([code, entry["nom"], entry["departement"], " ".join(sorted(postcodes))])
    rows.sort(key=lambda row: row[0])
    return rows


def write_gzip_csv(rows: list[list[str]], output: Path) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    output.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name in the header keep the output byte-identical between runs.
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("communes_json", type=Path, help="path to data/communes.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    rows = build_rows(load_entries(args.communes_json))
    write_gzip_csv(rows, args.output)
    postcodes = sum(len(row[3].split()) for row in rows)
    print(f"{len(rows)} communes, {postcodes} postcodes written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
