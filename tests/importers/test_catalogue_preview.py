"""The staged preview: added, updated, unchanged, duplicates and rejected, then the import of it."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop.core.kinds import Kind
from desktop.core.records import Status
from desktop.importers import import_paths
from desktop.importers.preview import Outcome, apply_preview, preview_paths
from desktop.store import RecordRepository

MARC = "library/pymarc_test/marc.dat"
OTHER = "library/pymarc_test/test.dat"


def run(steps):
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def test_preview_writes_nothing_and_sorts_every_record(
    corpus: Path, store: RecordRepository, tmp_path: Path
) -> None:
    import_paths([corpus / MARC, corpus / OTHER], store)
    existing = sorted(store.iter_records([Kind.CENTRE_ITEM]), key=lambda r: r.id)
    changed = next(r for r in existing if r.source.path.endswith("test.dat"))
    holder = next(r for r in existing if r.fields.get("isbn") and r.source.path.endswith("marc.dat"))
    seq = store.last_seq()
    csv = tmp_path / "mine.csv"
    csv.write_text(
        "id,source_key,title,isbn,control_number\n"
        f"{changed.id},{changed.source.key},A better title,{'|'.join(changed.fields.get('isbn', []))},"
        f"{changed.fields['control_number']}\n"
        f",,Another copy,{holder.fields['isbn'][0]},OTHER-1\n"
        ",,Brand new,9780306406157,NEW-1\n"
        ",,,,\n,,,,NO-TITLE\n",
        encoding="utf-8",
    )
    preview = preview_paths([corpus / MARC, csv], store)
    assert store.last_seq() == seq  # nothing written
    counts = preview.counts()
    assert counts == {"add": 1, "update": 1, "unchanged": 20, "duplicate": 1, "rejected": 1}, counts
    (update,) = preview.of(Outcome.UPDATE)
    assert update.existing_id == changed.id
    assert {c.name: (c.before, c.after) for c in update.changes} == {
        "title": (changed.title, "A better title")
    }
    (duplicate,) = preview.of(Outcome.DUPLICATE)
    assert duplicate.existing_id == holder.id and "same ISBN" in duplicate.reason
    (rejected,) = preview.of(Outcome.REJECTED)
    assert rejected.reason == "it has no title"

    report = run(apply_preview(preview, store, batch_records=1))
    assert (report.added, report.updated, report.skipped) == (1, 1, 2)
    after = store.get(changed.id)
    # The CSV carries only some columns: the others (publisher, subjects, marc) stay as they were.
    assert after.title == "A better title" and after.fields["marc"] == changed.fields["marc"]
    assert after.fields.get("subjects") == changed.fields.get("subjects")
    again = preview_paths([csv], store)
    assert again.counts()["update"] == 0 and again.counts()["add"] == 0


def test_update_keeps_status_tags_and_an_edit_made_after_the_preview(
    corpus: Path, store: RecordRepository, tmp_path: Path
) -> None:
    import_paths([corpus / MARC], store)
    item = next(iter(store.iter_records([Kind.CENTRE_ITEM])))
    store.save(
        item.with_changes(status=Status.PUBLISHED, tags=("water",)).with_fields(holding_centre="Durban")
    )
    csv = tmp_path / "c.csv"
    csv.write_text(f"id,title,publisher\n{item.id},New title,New publisher\n", encoding="utf-8")
    preview = preview_paths([csv], store)
    store.save(store.get(item.id).with_fields(edition="3rd edition"))  # edited meanwhile
    run(apply_preview(preview, store))
    after = store.get(item.id)
    assert after.status is Status.PUBLISHED and after.tags == ("water",)
    assert after.fields["holding_centre"] == "Durban" and after.fields["edition"] == "3rd edition"
    assert after.title == "New title" and after.fields["publisher"] == "New publisher"


def test_a_key_twice_and_a_damaged_file(corpus: Path, store: RecordRepository, tmp_path: Path) -> None:
    shutil.copy(corpus / MARC, tmp_path / "a.dat")
    shutil.copy(corpus / MARC, tmp_path / "b.dat")
    (tmp_path / "c.mrc").write_bytes((corpus / MARC).read_bytes()[:1000])
    preview = preview_paths([tmp_path], store)
    counts = preview.counts()
    assert counts["add"] == 20 and counts["duplicate"] == 20 and counts["rejected"] == 1
    assert all("appears again" in item.reason for item in preview.of(Outcome.DUPLICATE))
    (damaged,) = preview.of(Outcome.REJECTED)
    assert damaged.label == "the whole file" and "truncated" in damaged.reason


def test_cancel_between_batches_keeps_what_was_written(corpus: Path, store: RecordRepository) -> None:
    preview = preview_paths([corpus / MARC], store)
    steps = apply_preview(preview, store, batch_records=5, cancelled=lambda: store.count() >= 10)
    report = run(steps)
    assert report.added == 10 and store.count() == 10
    assert any("cancelled after 10 of 20" in message for _file, message in report.notes)


_LAUGHS = "".join(f'<!ENTITY lol{n} "{"".join(f"&lol{n - 1};" for _ in range(10))}">' for n in range(1, 10))
HOSTILE = {
    "bomb.xml": f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY lol0 "lol">{_LAUGHS}]>'
    '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader>'
    '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">&lol9;</subfield></datafield>'
    "</record></collection>",
    "external.xml": '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader>'
    '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">&x;</subfield></datafield>'
    "</record></collection>",
    "no-type.ris": "TI  - A title\nAU  - Smith, J\nER  - \n",
    "not-text.csv": bytes(range(256)) * 40,
    "huge-cell.csv": 'title,isbn,abstract\nBig one,,"' + "x" * 5_000_000 + '"\n',
}


def test_hostile_files_are_rejected_with_a_reason_and_nothing_is_written(
    corpus: Path, store: RecordRepository, tmp_path: Path
) -> None:
    for name, content in HOSTILE.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (tmp_path / "cut.mrc").write_bytes((corpus / MARC).read_bytes()[:30])
    seq = store.last_seq()
    preview = preview_paths([tmp_path], store)
    rejected = {Path(item.file).name: item.reason for item in preview.of(Outcome.REJECTED)}
    assert set(rejected) == {*HOSTILE, "cut.mrc"} and not preview.of(Outcome.ADD)
    assert "entity declarations" in rejected["bomb.xml"] and "entity" in rejected["external.xml"]
    assert "TY" in rejected["no-type.ris"] and "UTF-8" in rejected["not-text.csv"]
    assert "too long" in rejected["huge-cell.csv"] and "truncated" in rejected["cut.mrc"]
    assert "passwd" not in str(rejected) and store.last_seq() == seq
