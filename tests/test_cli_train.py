"""cli/train.py: `train techniques` writes where the user is, never over the model the package ships unless
asked to (the attack: the default --out was the installed package's own folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from propscope.enrich.techniques import MODEL_PATH
from tests.cli_runner import run


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
    (tmp_path / "ptc" / "train").mkdir(parents=True)
    (tmp_path / "ptc" / "train" / "train.jsonl").write_text("")
    monkeypatch.chdir(tmp_path)
    return targets


def test_by_default_the_model_goes_to_the_current_folder(trained: list[Path], tmp_path: Path) -> None:
    code, _, err = run("train", "techniques", "--data", "ptc")
    assert code == 0, err
    assert [t.resolve() for t in trained] == [tmp_path.resolve()]
    assert MODEL_PATH.parent.resolve() not in [t.resolve() for t in trained]


def test_the_package_s_own_folder_is_refused_unless_asked_for(trained: list[Path]) -> None:
    code, _, err = run("train", "techniques", "--data", "ptc", "--out", str(MODEL_PATH.parent))
    assert code == 2 and trained == [] and "--replace-shipped" in err and err.count("\n") == 1
    code, _, _ = run("train", "techniques", "--data", "ptc", "--out", str(MODEL_PATH.parent), "--replace-shipped")
    assert code == 0 and [t.resolve() for t in trained] == [MODEL_PATH.parent.resolve()]
