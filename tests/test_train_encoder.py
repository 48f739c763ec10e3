"""Fine-tuning the encoder (train/encoder.py) end to end on the tiny PTC-shaped dataset of
test_train_techniques: where the training stack ([train] extra: torch, transformers, the weights package) is
installed; elsewhere these are skipped, and the shipped model's own tests still run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.evaluate.ptc import TECHNIQUES
from tests.test_train_techniques import write_fixture

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("onnx")

from propscope.enrich.technique_encoder import FORMAT, EncoderTechniqueModel  # noqa: E402
from propscope.train import encoder  # noqa: E402


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """One epoch and a short grid: the pipeline is what is tested here, not the choices."""
    monkeypatch.setattr(encoder, "MAX_EPOCHS", 1)
    monkeypatch.setattr(encoder, "THRESHOLDS", (0.3, 0.5))
    monkeypatch.setattr(encoder, "GAPS", (0, 2))


def test_training_exports_a_model_that_loads_and_detects(tmp_path: Path, quick: None) -> None:
    try:
        encoder.pretrained_folder(tmp_path / "probe")
    except encoder.WeightsError as exc:
        pytest.skip(str(exc))
    write_fixture(tmp_path / "data", articles=6)
    out = tmp_path / "model"
    report = encoder.train_encoder(tmp_path / "data", out, tmp_path / "work", folds=2, say=lambda _m: None)
    assert report["cv_chosen"]["epochs"] == 1 and 0.0 <= report["dev"]["si"]["f1"] <= 1.0
    head = json.loads((out / "head.json").read_text(encoding="utf-8"))
    assert head["format"] == FORMAT and head["weights"]["sha256"] == encoder.WEIGHTS_SHA256
    assert head["calibration"]["y"] == sorted(head["calibration"]["y"])  # isotonic: a higher mean, a higher score
    model = EncoderTechniqueModel(out)
    text = "The corrupt puppet traitors met on Monday.\nThis despicable and shameful act must be condemned.\n"
    found = model.detect(text)
    assert all(0 <= t.start < t.end <= len(text) and t.technique in TECHNIQUES for t in found)
    assert found == EncoderTechniqueModel(out).detect(text)


def test_weights_that_are_not_the_published_file_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "WEIGHTS_SHA256", "0" * 64)
    with pytest.raises(encoder.WeightsError, match="is not the published"):
        encoder.pretrained_folder(tmp_path)
