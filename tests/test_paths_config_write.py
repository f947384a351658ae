"""Writing the data folder into the config file (what the settings dialog does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.paths import config_file, resolve_profile, write_data_dir


@pytest.fixture(autouse=True)
def config_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMBIZO_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("IMBIZO_DATA_DIR", raising=False)


def test_written_folder_is_chosen_at_the_next_start(tmp_path: Path) -> None:
    folder = tmp_path / 'odd "name" \\ with ünïcode'
    written = write_data_dir(folder)
    assert written == config_file()
    paths = resolve_profile()
    assert paths.data_dir == folder.absolute()
    assert paths.chosen_by == "config file"


def test_other_keys_and_comments_are_kept_and_the_old_value_replaced(tmp_path: Path) -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_text(
        '# my notes\ndata_dir = "/old/place"\ntheme = "x"\n\n[server]\ndata_dir = "not this one"\n',
        encoding="utf-8",
    )
    write_data_dir(tmp_path / "new")
    text = config_file().read_text(encoding="utf-8")
    assert "/old/place" not in text
    assert "# my notes" in text and 'theme = "x"' in text and 'data_dir = "not this one"' in text
    assert resolve_profile().data_dir == (tmp_path / "new").absolute()


def test_none_removes_the_setting(tmp_path: Path) -> None:
    write_data_dir(tmp_path / "somewhere")
    write_data_dir(None)
    assert resolve_profile().chosen_by == "platform default"
    assert not list(config_file().parent.glob("*.tmp"))
