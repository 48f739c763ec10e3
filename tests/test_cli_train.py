"""cli/train.py: `train techniques` (the encoder) and `train techniques-fast` (the linear model) write where
the user is, never over the model the package ships unless asked to (the attack: the default --out was the
installed package's own folder); a missing training stack is one line naming the extra."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

from propscope.enrich.technique_encoder import MODEL_DIR
from propscope.enrich.techniques import MODEL_PATH
from tests.cli_runner import run


def _ptc_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PTC-shaped folder (an empty train split) beside the current folder, where the user is."""
    (tmp_path / "ptc" / "train").mkdir(parents=True)
    (tmp_path / "ptc" / "train" / "train.jsonl").write_text("")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def trained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Where training was asked to write; the training itself (minutes) is train_techniques' own tests' job."""
    pytest.importorskip("sklearn")
    import propscope.train.techniques as techniques

    targets: list[Path] = []

    def record(data: Path, out_dir: Path, *args: Any, **kwargs: Any) -> dict[str, Any]:
        targets.append(out_dir)
        return {}

    monkeypatch.setattr(techniques, "train_techniques", record)
    _ptc_folder(tmp_path, monkeypatch)
    return targets


def test_by_default_the_model_goes_to_the_current_folder(trained: list[Path], tmp_path: Path) -> None:
    code, _, err = run("train", "techniques-fast", "--data", "ptc")
    assert code == 0, err
    assert [t.resolve() for t in trained] == [tmp_path.resolve()]
    assert MODEL_PATH.parent.resolve() not in [t.resolve() for t in trained]


def test_the_package_s_own_folder_is_refused_unless_asked_for(trained: list[Path]) -> None:
    code, _, err = run("train", "techniques-fast", "--data", "ptc", "--out", str(MODEL_PATH.parent))
    assert code == 2 and trained == [] and "--replace-shipped" in err and err.count("\n") == 1
    code, _, _ = run("train", "techniques-fast", "--data", "ptc", "--out", str(MODEL_PATH.parent), "--replace-shipped")
    assert code == 0 and [t.resolve() for t in trained] == [MODEL_PATH.parent.resolve()]


@pytest.fixture
def encoder_trained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The encoder's training replaced by a recorder, torch and transformers by empty modules where absent."""
    import propscope.train.encoder as encoder

    for name in ("torch", "transformers"):
        if name not in sys.modules:
            monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    targets: list[Path] = []

    def record(data: Path, out: Path, *args: Any, **kwargs: Any) -> dict[str, Any]:
        targets.append(out)
        return {}

    monkeypatch.setattr(encoder, "train_encoder", record)
    _ptc_folder(tmp_path, monkeypatch)
    return targets


def test_the_encoder_goes_to_a_folder_of_its_own_never_the_package_s(
    encoder_trained: list[Path], tmp_path: Path
) -> None:
    code, _, err = run("train", "techniques", "--data", "ptc")
    assert code == 0, err
    assert [t.resolve() for t in encoder_trained] == [(tmp_path / "techniques-encoder").resolve()]
    code, _, err = run("train", "techniques", "--data", "ptc", "--out", str(MODEL_DIR))
    assert code == 2 and "--replace-shipped" in err and len(encoder_trained) == 1


def test_training_the_encoder_without_its_extra_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # what an import of a missing package raises
    code, _, err = run("train", "techniques", "--data", str(tmp_path))
    assert code == 1 and err.count("\n") == 1
    assert "needs the train extra (torch is missing)" in err and "propscope[train]" in err
