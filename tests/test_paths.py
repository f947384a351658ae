"""Profile resolution: --data-dir, then IMBIZO_DATA_DIR, then the config file, then the platform default."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.paths import ConfigError, config_file, resolve_profile


def test_data_dir_option_wins(tmp_path: Path) -> None:
    chosen = resolve_profile(tmp_path / "explicit")
    assert chosen.data_dir == (tmp_path / "explicit").absolute()
    assert chosen.chosen_by == "--data-dir"


def test_environment_variable_comes_next(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMBIZO_DATA_DIR", str(tmp_path / "from-env"))
    chosen = resolve_profile(None)
    assert chosen.data_dir == tmp_path / "from-env"
    assert chosen.chosen_by == "IMBIZO_DATA_DIR"


def test_config_file_then_platform_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMBIZO_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = resolve_profile(None)
    assert default.chosen_by == "platform default"
    assert default.data_dir == tmp_path / "xdg" / "Imbizo"

    config_file().parent.mkdir(parents=True)
    config_file().write_text(f'data_dir = "{tmp_path / "configured"}"\n', encoding="utf-8")
    configured = resolve_profile(None)
    assert configured.chosen_by == "config file"
    assert configured.data_dir == tmp_path / "configured"


def test_broken_config_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMBIZO_DATA_DIR")
    config_file().parent.mkdir(parents=True)
    config_file().write_text("data_dir = [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="config file"):
        resolve_profile(None)
