"""Time the validator's per-record checks on records built to stress them, one size at a time.

    python -m newscorpus.dev.benchmark_checks --sizes 20000 200000

Every check must stay O(n log n) in the items of one record; each case here grows one kind of
item until a quadratic check would show:

- overlap: named mentions that each overlap the next (mention-overlap);
- occurrences: names annotated once and repeated unannotated (unannotated-occurrence);
- chain: a valid chain of PART_OF relations (relation-cycle), with --relations of its size;
- cycle: the same chain closed into one cycle.

Figures are wall-clock seconds of validate_record, with the number of findings; machines are
noisy, so compare sizes (n log n grows a little faster than n), not absolute times.
"""

from __future__ import annotations

import argparse
import time

from ..labels import SCHEMA_VERSION
from ..model import Entity, Mention, Record, empty_layers


def _record(text: str, mentions: list[Mention], entities: list[Entity]) -> Record:
    return {
        "id": "bench",
        "schema_version": SCHEMA_VERSION,
        "split": "train",
        "source": {
            "seed_path": "seeds/bench.txt",
            "seed_sha256": "0" * 64,
            "publisher": None,
            "url": None,
            "published_date": None,
            "dateline": None,
            "language": None,
            "cleaning": [],
        },
        "text": text,
        "passages": [{"id": "p0", "type": "paragraph", "start": 0, "end": len(text)}],
        "mentions": mentions,
        "entities": entities,
        "quotes": [],
        "events": [],
        "relations": [],
        "labels": empty_layers()["labels"],
        "annotation": {
            "annotators": [],
            "guidelines_version": None,
            "status": "draft",
            "notes": None,
        },
    }


def _mention(index: int, start: int, end: int, text: str, entity: str) -> Mention:
    return {
        "id": f"m{index}",
        "start": start,
        "end": end,
        "text": text[start:end],
        "label": "ORG",
        "mention_type": "NAM",
        "entity": entity,
    }


def overlap(size: int) -> Record:
    """`size` named mentions over words w0 w1 ..., each covering two words: every one
    overlaps the next."""
    words = [f"w{i}" for i in range(size + 1)]
    text = " ".join(words)
    starts = [0]
    for word in words[:-1]:
        starts.append(starts[-1] + len(word) + 1)
    mentions = [
        _mention(i + 1, starts[i], starts[i + 1] + len(words[i + 1]), text, "e1")
        for i in range(size)
    ]
    return _record(text, mentions, [{"id": "e1", "label": "ORG", "name": "w0"}])


def occurrences(size: int) -> Record:
    """`size` named mentions of distinct names, each name written twice, once annotated."""
    names = [f"Acme{i}" for i in range(size)]
    text = ". ".join(f"{name} met {name}" for name in names) + "."
    mentions: list[Mention] = []
    entities: list[Entity] = []
    at = 0
    for i, name in enumerate(names):
        mentions.append(_mention(i + 1, at, at + len(name), text, f"e{i + 1}"))
        entities.append({"id": f"e{i + 1}", "label": "ORG", "name": name})
        at += 2 * len(name) + len(" met ") + len(". ")
    return _record(text, mentions, entities)


def chain(size: int, closed: bool = False) -> Record:
    """`size` PART_OF relations e1 -> e2 -> ... over distinct names (closed: a cycle)."""
    record = occurrences(size + 1)
    record["relations"] = [
        {
            "id": f"r{i + 1}",
            "type": "PART_OF",
            "head": f"e{i + 1}",
            "tail": f"e{i + 2}" if not (closed and i == size - 1) else "e1",
            "evidence": [f"m{i + 1}", f"m{i + 2}" if not (closed and i == size - 1) else "m1"],
        }
        for i in range(size)
    ]
    return record


CASES = {
    "overlap": overlap,
    "occurrences": occurrences,
    "chain": chain,
    "cycle": lambda size: chain(size, closed=True),
}


def measure(case: str, size: int) -> tuple[float, int]:
    from ..validate import validate_record

    record = CASES[case](size)
    started = time.perf_counter()
    findings = validate_record(record, file="bench.json", root=None, stem="bench")
    return time.perf_counter() - started, len(findings)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 200000])
    parser.add_argument(
        "--relations", type=int, nargs="+", default=[1000, 10000], help="Sizes of the chains."
    )
    parser.add_argument("--cases", nargs="+", choices=sorted(CASES), default=list(CASES))
    args = parser.parse_args(argv)
    print(f"{'case':<12} {'items':>8} {'seconds':>9} {'findings':>9}")
    for case in args.cases:
        for size in args.relations if case in ("chain", "cycle") else args.sizes:
            seconds, found = measure(case, size)
            print(f"{case:<12} {size:>8} {seconds:>9.2f} {found:>9}", flush=True)


if __name__ == "__main__":
    main()
