"""Load the official list of French communes and their postcodes.

The data file is built by scripts/build_communes_data.py; see that script for its source.
Running the command again is safe: communes are upserted by INSEE code and postcodes
synchronised, so it also serves to apply a newer list.
"""

import csv
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from neighbourhoods.models import Commune, Postcode
from neighbourhoods.text import normalize_place_name

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "communes.csv.gz"
HEADER = ["insee_code", "name", "department_code", "postcodes"]
# INSEE codes are digits except for Corsica (2A/2B); postcodes are always five digits.
INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
POSTCODE = re.compile(r"^[0-9]{5}$")
BATCH_SIZE = 2000
# SQLite builds may cap query parameters at 999, so deletions by id go in slices.
DELETE_SLICE = 900
ABSENT_SAMPLE = 10


@dataclass(frozen=True)
class CommuneRow:
    insee_code: str
    name: str
    department_code: str
    postcodes: frozenset[str]


class Command(BaseCommand):
    help = "Create or update the French communes and their postcodes from a CSV file (gzip or plain)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_FILE,
            help=f"CSV with header {','.join(HEADER)} (default: {DEFAULT_FILE}).",
        )

    def handle(self, *args, **options):
        rows = read_rows(options["file"])
        with transaction.atomic():
            new, updated = upsert_communes(rows)
            added, removed = sync_postcodes(rows)
            absent = absent_codes(rows)
        postcodes = sum(len(row.postcodes) for row in rows)
        self.stdout.write(
            f"{len(rows):,} communes, {postcodes:,} postcodes loaded "
            f"({new:,} new communes, {updated:,} updated; "
            f"{added:,} postcodes added, {removed:,} removed)."
        )
        if absent:
            # Kept on purpose: neighbourhoods may point at them, and a commune that merged
            # away still deserves a human decision.
            sample = ", ".join(absent[:ABSENT_SAMPLE]) + (", ..." if len(absent) > ABSENT_SAMPLE else "")
            self.stdout.write(
                self.style.WARNING(
                    f"{len(absent):,} communes in the database are not in the file; kept: {sample}"
                )
            )


def read_rows(path: Path) -> list[CommuneRow]:
    """Parse and validate the whole file before touching the database."""
    try:
        text = _read_text(path)
    except FileNotFoundError:
        raise CommandError(f"Communes file not found: {path}") from None
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read communes file {path}: {exc}") from exc

    reader = csv.reader(io.StringIO(text, newline=""))
    if next(reader, None) != HEADER:
        raise CommandError(f"{path}: the first line must be {','.join(HEADER)}")
    rows = [_parse_row(path, reader.line_num, fields) for fields in reader if fields]
    _check_unique(path, rows)
    if not rows:
        raise CommandError(f"{path}: no communes in the file")
    return rows


def _read_text(path: Path) -> str:
    with path.open("rb") as handle:
        data = handle.read()
    # Sniff the gzip magic number rather than trusting the file name.
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    # utf-8-sig: a file saved by a spreadsheet may start with a byte-order mark.
    return data.decode("utf-8-sig")


def _parse_row(path: Path, line: int, fields: list[str]) -> CommuneRow:
    if len(fields) != len(HEADER):
        raise CommandError(f"{path}, line {line}: expected {len(HEADER)} fields, got {len(fields)}")
    insee_code, name, department_code, postcodes = (field.strip() for field in fields)
    codes = frozenset(postcodes.split())
    if not INSEE_CODE.match(insee_code):
        raise CommandError(f"{path}, line {line}: invalid INSEE code {insee_code!r}")
    if not name or len(name) > Commune._meta.get_field("name").max_length:
        raise CommandError(f"{path}, line {line}: invalid name {name!r}")
    if not 2 <= len(department_code) <= 3:
        raise CommandError(f"{path}, line {line}: invalid department code {department_code!r}")
    bad = sorted(code for code in codes if not POSTCODE.match(code))
    if bad:
        raise CommandError(f"{path}, line {line}: invalid postcode {bad[0]!r}")
    return CommuneRow(insee_code, name, department_code, codes)


def _check_unique(path: Path, rows: list[CommuneRow]) -> None:
    seen = set()
    for row in rows:
        if row.insee_code in seen:
            raise CommandError(f"{path}: INSEE code {row.insee_code} appears twice")
        seen.add(row.insee_code)


def absent_codes(rows: list[CommuneRow]) -> list[str]:
    """INSEE codes in the database but not in the file (compared in Python: 35,000 query
    parameters would exceed SQLite's limit)."""
    listed = {row.insee_code for row in rows}
    codes = Commune.objects.values_list("insee_code", flat=True)
    return sorted(code for code in codes if code not in listed)


def upsert_communes(rows: list[CommuneRow]) -> tuple[int, int]:
    """Create new communes and rename changed ones; return (new, updated) counts."""
    fields = ["name", "department_code", "search_name"]
    current = {values[0]: values[1:] for values in Commune.objects.values_list("insee_code", *fields)}
    # bulk_create skips save(), so the search name is computed here.
    wanted = {row.insee_code: (row.name, row.department_code, normalize_place_name(row.name)) for row in rows}
    # Only rows that differ are sent, so a re-run on unchanged data writes nothing.
    changed = [code for code, values in wanted.items() if current.get(code) != values]
    Commune.objects.bulk_create(
        [Commune(insee_code=code, **dict(zip(fields, wanted[code], strict=True))) for code in changed],
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["insee_code"],
        update_fields=fields,
    )
    new = sum(1 for code in changed if code not in current)
    return new, len(changed) - new


def sync_postcodes(rows: list[CommuneRow]) -> tuple[int, int]:
    """Make each listed commune's postcodes match the file; return (added, removed) counts."""
    ids = dict(Commune.objects.values_list("insee_code", "id"))
    wanted = {(ids[row.insee_code], code) for row in rows for code in row.postcodes}
    listed = {ids[row.insee_code] for row in rows}
    # Communes absent from the file keep their postcodes, like the communes themselves.
    current = {
        (commune_id, code): pk
        for pk, commune_id, code in Postcode.objects.values_list("id", "commune_id", "code")
        if commune_id in listed
    }
    stale = [pk for key, pk in current.items() if key not in wanted]
    for start in range(0, len(stale), DELETE_SLICE):
        Postcode.objects.filter(id__in=stale[start : start + DELETE_SLICE]).delete()
    missing = [Postcode(commune_id=cid, code=code) for cid, code in sorted(wanted - current.keys())]
    # ignore_conflicts: a concurrent run may have added the same postcode meanwhile.
    Postcode.objects.bulk_create(missing, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return len(missing), len(stale)
