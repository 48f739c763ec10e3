"""`propscope train`: reproduce the models propscope ships, from data the user has."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from propscope.cli.output import err
from propscope.errors import PropscopeError, UsageError

DataOption = Annotated[
    Path, typer.Option(help="The PTC SemEval-2020 Task 11 folder (train/train.jsonl; dev/ is scored if there).")
]
ReplaceShippedOption = Annotated[
    bool, typer.Option("--replace-shipped", help="Let --out be the package's folder: overwrite the model it ships.")
]


def check_paths(data: Path, target: Path, shipped: Path, replace_shipped: bool) -> None:
    """The PTC folder holds train; the target is not the package's own model folder unless that is meant (the
    installed package's model: every ingest uses it, and a reinstall is the only way back)."""
    if not (data / "train" / "train.jsonl").exists():
        raise PropscopeError(f"{data}: no train/train.jsonl here; point --data at the PTC folder")
    if target.resolve() == shipped.resolve() and not replace_shipped:
        raise UsageError(
            f"--out {target} is the package's own model folder: choose another, or add --replace-shipped to mean it"
        )


train_app = typer.Typer(help="Train the models propscope ships, from data you have.", no_args_is_help=True)


@train_app.command("techniques-fast")
def train_techniques_command(
    data: DataOption,
    save: Annotated[
        Path, typer.Option("--out", help="Folder for techniques-model.json (default: the current folder).")
    ] = Path("."),
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds on train, grouped by article.")] = 5,
    jobs: Annotated[int, typer.Option(min=1, help="Folds fitted in parallel.")] = 2,
    report: Annotated[Path | None, typer.Option(help="Also write the report (CV table, dev scores) as JSON.")] = None,
    replace_shipped: ReplaceShippedOption = False,
) -> None:
    """Reproduce the linear technique model (step techniques-fast): settings by cross-validation on train."""
    try:
        from propscope.train.techniques import MODEL_PATH, train_techniques
    except ImportError as exc:
        raise PropscopeError(
            f"training needs scikit-learn ({exc.name} is missing): pip install 'propscope[train]'"
        ) from exc
    target = save
    check_paths(data, target, MODEL_PATH.parent, replace_shipped)
    result = train_techniques(data, target, folds, progress=lambda m: err.print(escape(m)), jobs=jobs)
    text = json.dumps(result, indent=2)
    if report:
        report.write_text(text + "\n", encoding="utf-8")
    dev = result.get("dev", {})
    err.print(
        f"model written to {escape(str(target))}"
        + (f"; dev SI F1 {dev['si']['f1']:.3f}, TC micro-F1 {dev['tc_micro_f1']:.3f}" if dev else "")
    )


@train_app.command("techniques")
def train_encoder_command(
    data: DataOption,
    save: Annotated[Path, typer.Option("--out", help="Folder for model.onnx, head.json and tokenizer.json.")] = Path(
        "techniques-encoder"
    ),
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds on train, grouped by article.")] = 2,
    work: Annotated[Path | None, typer.Option(help="Scratch folder (default: beside --out).")] = None,
    limit: Annotated[int, typer.Option(min=0, help="Train on the first N articles only (a smoke run).")] = 0,
    report: Annotated[Path | None, typer.Option(help="Also write the report (choices, dev scores) as JSON.")] = None,
    replace_shipped: ReplaceShippedOption = False,
) -> None:
    """Reproduce the encoder technique model (step techniques): fine-tune all-MiniLM-L6-v2 on PTC train,
    choose epochs and thresholds by cross-validation on train, export to ONNX int8, score dev and test."""
    try:
        import torch  # noqa: F401 - checked here so that a missing extra is one line, not a traceback later
        import transformers  # noqa: F401

        from propscope.enrich.technique_encoder import MODEL_DIR
        from propscope.train.encoder import WeightsError, train_encoder
    except ImportError as exc:
        raise PropscopeError(
            f"training the encoder needs the train extra ({exc.name} is missing): pip install torch==2.13.0"
            " 'propscope[train]'"
        ) from exc
    check_paths(data, save, MODEL_DIR, replace_shipped)
    try:
        result = train_encoder(
            data, save, work or save.parent / "encoder-work", folds, lambda m: err.print(escape(m)), limit
        )
    except WeightsError as exc:
        raise PropscopeError(str(exc)) from exc
    if report:
        report.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    dev = result.get("dev", {})
    err.print(
        f"model written to {escape(str(save))}"
        + (
            f"; dev SI F1 {dev['si']['f1']:.3f}, TC micro-F1 {dev['tc_micro_f1']:.3f},"
            f" span+technique F1 {dev['span_technique']['f1']:.3f}"
            if dev
            else ""
        )
    )


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
