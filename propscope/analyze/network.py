"""The co-mention graph: people and organisations as nodes, an edge weighted by the number of articles
that mention both. Written as GraphML (Gephi, networkx, yEd) or as CSV edge lists."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations, groupby
from typing import TextIO
from xml.sax.saxutils import quoteattr

from propscope.characters import xml_text

Node = tuple[str, str]  # (type, canonical)


def co_mentions(
    rows: Iterable[tuple[int, str, str]], keep: set[Node], min_weight: int = 1
) -> Counter[tuple[Node, Node]]:
    """Edge weights from (article_id, type, canonical) rows sorted by article."""
    weights: Counter[tuple[Node, Node]] = Counter()
    for _, group in groupby(rows, key=lambda row: row[0]):
        nodes = sorted({(kind, name) for _, kind, name in group if (kind, name) in keep})
        for pair in combinations(nodes, 2):
            weights[pair] += 1
    return Counter({pair: w for pair, w in weights.items() if w >= min_weight})


def write_graphml(out: TextIO, nodes: Sequence[tuple[str, str, int]], edges: Mapping[tuple[Node, Node], int]) -> None:
    ids = {(kind, name): f"n{i}" for i, (kind, name, _) in enumerate(nodes)}
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    out.write('  <key id="label" for="node" attr.name="label" attr.type="string"/>\n')
    out.write('  <key id="type" for="node" attr.name="type" attr.type="string"/>\n')
    out.write('  <key id="articles" for="node" attr.name="articles" attr.type="int"/>\n')
    out.write('  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>\n')
    out.write('  <graph id="co-mentions" edgedefault="undirected">\n')
    for kind, name, count in nodes:
        out.write(
            f'    <node id="{ids[(kind, name)]}"><data key="label">{_text(name)}</data>'
            f'<data key="type">{_text(kind)}</data><data key="articles">{count}</data></node>\n'
        )
    for (a, b), weight in sorted(edges.items(), key=lambda item: -item[1]):
        out.write(f'    <edge source="{ids[a]}" target="{ids[b]}"><data key="weight">{weight}</data></edge>\n')
    out.write("  </graph>\n</graphml>\n")


def write_csv(out: TextIO, edges: Mapping[tuple[Node, Node], int]) -> None:
    writer = csv.writer(out)
    writer.writerow(["source", "source_type", "target", "target_type", "weight"])
    for (a, b), weight in sorted(edges.items(), key=lambda item: -item[1]):
        writer.writerow([a[1], a[0], b[1], b[0], weight])


def _text(value: str) -> str:
    """A name as GraphML text: escaped, and without what XML 1.0 forbids (a control character from the input)."""
    return quoteattr(xml_text(value))[1:-1]
