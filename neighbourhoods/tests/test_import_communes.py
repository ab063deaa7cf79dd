import csv
import gzip
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods.models import Commune, Postcode

HEADER = ["insee_code", "name", "department_code", "postcodes"]


def run_import(*args) -> str:
    out = StringIO()
    call_command("import_communes", *args, stdout=out)
    return out.getvalue()


def write_communes(path, rows) -> str:
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return str(path)


def postcodes_of(insee_code: str) -> set[str]:
    return set(Postcode.objects.filter(commune__insee_code=insee_code).values_list("code", flat=True))


@pytest.mark.django_db
def test_importing_the_committed_file_loads_every_commune_with_its_postcodes():
    output = run_import()

    commune = Commune.objects.get(insee_code="44190")
    assert commune.name == "Saint-Sébastien-sur-Loire"
    assert commune.department_code == "44"
    assert commune.search_name == "saint sebastien sur loire"
    assert commune.postcode_list == ["44230"]

    paris = Commune.objects.get(insee_code="75056")
    paris_postcodes = postcodes_of("75056")
    assert paris.name == "Paris"
    assert {"75001", "75020", "75116"} <= paris_postcodes
    assert len(paris_postcodes) == 21

    assert Commune.objects.count() > 34_000
    assert "communes" in output and "postcodes loaded" in output


@pytest.mark.django_db
def test_import_is_idempotent_and_updates_a_changed_name():
    run_import()
    counts = (Commune.objects.count(), Postcode.objects.count())
    Commune.objects.filter(insee_code="44190").update(name="Old name", search_name="old name")

    output = run_import()

    assert (Commune.objects.count(), Postcode.objects.count()) == counts
    commune = Commune.objects.get(insee_code="44190")
    assert commune.name == "Saint-Sébastien-sur-Loire"
    assert commune.search_name == "saint sebastien sur loire"
    assert "(0 new communes, 1 updated;" in output


@pytest.mark.django_db
def test_a_custom_file_with_a_postcode_removed_removes_that_postcode(tmp_path):
    rows = [
        ["44190", "Saint-Sébastien-sur-Loire", "44", "44230"],
        ["44109", "Nantes", "44", "44000 44100 44200 44300"],
    ]
    run_import("--file", write_communes(tmp_path / "before.csv.gz", rows))
    assert postcodes_of("44109") == {"44000", "44100", "44200", "44300"}

    rows[1][3] = "44000 44100 44300"
    output = run_import("--file", write_communes(tmp_path / "after.csv.gz", rows))

    assert postcodes_of("44109") == {"44000", "44100", "44300"}
    assert postcodes_of("44190") == {"44230"}
    assert "0 postcodes added, 1 removed" in output


@pytest.mark.django_db
def test_communes_missing_from_the_file_are_kept_and_reported(tmp_path):
    gone = Commune.objects.create(insee_code="99999", name="Ghost", department_code="99")
    Postcode.objects.create(commune=gone, code="99999")

    rows = [["44190", "Saint-Sébastien-sur-Loire", "44", "44230"]]
    output = run_import("--file", write_communes(tmp_path / "c.csv.gz", rows))

    assert Commune.objects.filter(insee_code="99999").exists()
    assert postcodes_of("99999") == {"99999"}
    assert "1 communes in the database are not in the file; kept: 99999" in output


@pytest.mark.django_db
def test_a_missing_file_raises_command_error(tmp_path):
    with pytest.raises(CommandError, match="not found"):
        run_import("--file", str(tmp_path / "nowhere.csv.gz"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        b"not,the,right,header\n44190,Saint-Sebastien,44,44230\n",
        b"insee_code,name,department_code,postcodes\n44190,Saint-Sebastien,44\n",
        b"insee_code,name,department_code,postcodes\n44190,Saint-Sebastien,44,4423\n",
        b"\x1f\x8b truncated gzip",
    ],
    ids=["bad header", "missing field", "bad postcode", "broken gzip"],
)
def test_a_malformed_file_raises_command_error_and_writes_nothing(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError):
        run_import("--file", str(path))

    assert not Commune.objects.exists()
