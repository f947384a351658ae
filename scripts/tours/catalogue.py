"""Tour: the staged catalogue import on a copy of the corpus profile, then the Knowledge centre page.

Re-imports a corpus MARCXML file whose records are all there (unchanged), with a CSV written
here: one changed record, sixteen moved to another centre, one new item, one with the ISBN of
an item already catalogued (a duplicate), and rows that cannot be items (rejected).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

from tours._common import Shooter, copy_profile, settle, wait_until

from desktop.core.import_preview import Outcome
from desktop.core.kinds import Kind

#: The shared corpus beside the checkout (a worktree sits one folder deeper), or $IMBIZO_CORPUS.
CORPUS = Path(
    os.environ.get("IMBIZO_CORPUS")
    or next(
        (
            str(p / "shared" / "corpus")
            for p in Path(__file__).resolve().parents
            if (p / "shared" / "corpus").is_dir()
        ),
        "../shared/corpus",
    )
)
REIMPORT = "library/marc2bibframe2_dataset/loc_general.xml"


def _write_csv(shooter: Shooter, workdir: Path) -> Path:
    store = shooter.window.session.store
    items = sorted(store.iter_records([Kind.CENTRE_ITEM]), key=lambda r: r.id)
    changed = next(
        r for r in items if r.source and "british_library" in r.source.path and r.fields.get("subjects")
    )
    holder = next(
        r for r in items if r.source and r.source.path.endswith("marc.dat") and r.fields.get("isbn")
    )
    path = workdir / "centre-additions.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "authors", "year", "isbn", "subjects", "holding_centre"])
        subjects = f"{changed.fields['subjects'][0]} | Local government"
        writer.writerow([changed.id, f"{changed.title} (revised edition)", "", "", "", subjects, "Durban"])
        writer.writerow(
            [
                "",
                "Water services in small towns: a field guide",
                "Mokoena, Thandi | Naidoo, Priya",
                "2024",
                "9780306406157",
                "Water supply | Municipal services",
                "Polokwane",
            ]
        )
        writer.writerow(
            ["", f"{holder.title} (donated copy)", "", "", holder.fields["isbn"][0], "", "Durban"]
        )
        # Items moved to another centre: enough updates for the import's progress to be seen
        # (the corpus profile is imported with the ISBN-13 fix, so the MARCXML re-import has none).
        moved = [r for r in items if r.source and "british_library" in r.source.path and r is not changed]
        for record in moved[:16]:
            writer.writerow([record.id, record.title, "", "", "", "", "Pietermaritzburg"])
        writer.writerow(["", "", "Nobody, A.", "2023", "", "", ""])
        writer.writerow(["", "Minutes of the district forum", "", "next spring", "", "", ""])
    return path


def _select(app, dialog, outcome: Outcome, contains: str = "") -> None:  # type: ignore[no-untyped-def]
    dialog.show_outcome(outcome)
    for row in range(dialog.proxy.rowCount()):
        item = dialog.proxy.data(dialog.proxy.index(row, 0), dialog.model.ItemRole)
        if contains in item.label or contains in item.file:
            dialog.table.selectRow(row)
            break
    settle(app, 0.3)


def run(app, out: Path, workdir: Path, corpus_profile: Path | None) -> None:  # type: ignore[no-untyped-def]
    workdir.mkdir(parents=True, exist_ok=True)
    shooter = Shooter(app, out, copy_profile(corpus_profile, workdir), "catalogue-")
    csv = _write_csv(shooter, workdir)
    flow = shooter.window.preview_import([CORPUS / REIMPORT, csv])
    dialog = flow.dialog
    dialog.resize(1240, 720)
    dialog.move(shooter.window.geometry().topLeft())
    wait_until(app, lambda: flow.preview is not None, timeout=120, what="the preview")
    settle(app, 0.5)
    shooter.shot_of(dialog, "01-preview")
    _select(app, dialog, Outcome.UPDATE, "revised edition")
    shooter.shot_of(dialog, "02-update-side-by-side")
    _select(app, dialog, Outcome.DUPLICATE)
    item = dialog.selected_item()
    wait_until(app, lambda: item.existing_id in dialog.holders, what="the duplicated item")
    shooter.shot_of(dialog, "03-duplicate-beside-the-item-it-duplicates")
    _select(app, dialog, Outcome.REJECTED)
    shooter.shot_of(dialog, "04-rejected-rows")

    import desktop.importers.preview as preview_module

    preview_module.APPLY_BATCH_RECORDS = 4  # small batches, so the progress can be seen
    dialog.import_button.click()
    wait_until(app, lambda: flow.last_progress is not None and flow.last_progress.done > 8, what="progress")
    dialog.grab().save(str(out / "catalogue-05-import-progress.png"))
    print(f"saved {out / 'catalogue-05-import-progress.png'}")
    wait_until(app, lambda: flow.report is not None, timeout=120, what="the import")
    shooter.shot_of(dialog, "06-import-report")
    dialog.close_button.click()

    shooter.list_page("centre", row=0)
    page = shooter.window.list_pages["centre"]
    page.filter_edit.setText("revised edition")
    wait_until(app, lambda: page.model.rowCount() == 1, what="the revised record")
    page.select_row(0)
    wanted = page.current_record_id()
    wait_until(app, lambda: page.detail.record_id == wanted, what="its details")
    shooter.shot("07-centre-page-with-import-and-export")
    shooter.close()
