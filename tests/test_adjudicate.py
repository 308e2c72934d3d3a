"""`newscorpus adjudicate`: two annotations of one article into one gold record.

The pair: the fixture gold of harbour_union_boycott (A) and a second, independent
annotation of the same seed (B, tests/data/adjudication, made by the script beside it).
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscorpus.canonical import canonicalize
from newscorpus.cli import main
from newscorpus.curate.adjudicate.apply import assemble, plan
from newscorpus.curate.agreement import agreement

sys.path.insert(0, str(Path(__file__).parent))
from adjudication_perturb import perturb  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
ARTICLES = DATA / "articles"
NAME = "harbour_union_boycott"
ITEM_LAYERS = ("mentions", "quotes", "events", "relations")


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


A = _load(ARTICLES / "records" / f"{NAME}.json")
B = _load(DATA / "adjudication" / f"{NAME}.b.json")


def _settled(a: dict[str, Any], b: dict[str, Any], side: str) -> dict[str, Any]:
    adjudication = plan(a, b)
    for decision in adjudication.decisions:
        decision.choice = side
    return assemble(adjudication)


def _layers(record: dict[str, Any]) -> dict[str, Any]:
    """Everything but the annotation block; lists whose order means nothing, sorted."""
    out = copy.deepcopy({k: v for k, v in record.items() if k != "annotation"})
    for event in out["events"]:
        event["arguments"].sort(key=lambda g: (g["role"], g["mention"]))
    for relation in out["relations"]:
        relation["evidence"].sort()
    for key in out["labels"]:
        out["labels"][key].sort()
    return out


def _check_counts(a: dict[str, Any], b: dict[str, Any]) -> None:
    figures, decisions = agreement(a, b), plan(a, b).decisions
    for layer in (*ITEM_LAYERS, "arguments"):
        exact = (
            figures["events"]["arguments"]["exact"]
            if layer == "arguments"
            else figures[layer]["exact"]
        )
        unmatched = (exact["a"] - exact["matched"], exact["b"] - exact["matched"])
        covered = tuple(
            sum(1 for d in decisions for c in d.covers if c[:2] == (layer, side)) for side in "ab"
        )
        assert covered == unmatched, layer
    matched_events = figures["events"]["exact"]["matched"]
    if matched_events:
        differing = round((1 - figures["events"]["modality_agreement"]) * matched_events)
        assert differing == sum(d.kind == "modality" for d in decisions)
    clusters_differ = any(
        d.kind == "membership"
        or (d.layer == "mentions" and d.kind not in ("label", "mention type"))
        for d in decisions
    )
    assert (figures["entities"]["exact"]["f1"] < 1.0) == clusters_differ


def test_decisions_are_the_disagreements_agreement_counts() -> None:
    _check_counts(A, B)
    kinds = [(d.layer, d.kind) for d in plan(A, B).decisions]
    assert ("mentions", "boundary") in kinds and ("entities", "membership") in kinds
    assert ("relations", "only B has this relation") in kinds and ("labels", "topic") in kinds


@pytest.mark.parametrize("side", ["a", "b"])
def test_choosing_one_side_everywhere_gives_that_side(side: str) -> None:
    record = A if side == "a" else B
    assert _layers(_settled(A, B, side)) == _layers(canonicalize(record, renumber=True))


def test_a_mixed_choice_is_neither_side() -> None:
    adjudication = plan(A, B)
    for decision in adjudication.decisions:
        decision.choice = "a"
    adjudication.decisions[0].choice = "b"
    out = _layers(assemble(adjudication))
    assert out != _layers(canonicalize(A, renumber=True))
    assert out != _layers(canonicalize(B, renumber=True))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from([NAME, "regulator_fines_brightline"]),
    seed=st.integers(0, 10**6),
    edits=st.tuples(st.integers(0, 4), st.integers(0, 6)),
)
def test_random_pairs(name: str, seed: int, edits: tuple[int, int]) -> None:
    base = _load(ARTICLES / "records" / f"{name}.json")
    rng = random.Random(seed)
    a, b = perturb(base, rng, edits[0]), perturb(base, rng, edits[1])
    _check_counts(a, b)
    for side, record in (("a", a), ("b", b)):
        assert _layers(_settled(a, b, side)) == _layers(canonicalize(record, renumber=True))


# --- the command, on a fixture root -------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus root with the two fixture articles' seeds and the other article's gold; the
    two annotations to adjudicate in ann/, the working folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "corpus" / "records").mkdir(parents=True)
    for name in (NAME, "regulator_fines_brightline"):
        shutil.copy(ARTICLES / "seeds" / f"{name}.txt", tmp_path / "seeds")
    shutil.copy(
        ARTICLES / "records" / "regulator_fines_brightline.json", tmp_path / "corpus" / "records"
    )
    (tmp_path / "DATASHEET.md").write_text(
        "# Datasheet\n\n<!-- stats:start -->\n<!-- stats:end -->\n\n"
        "<!-- agreement:start -->\n<!-- agreement:end -->\n",
        encoding="utf-8",
    )
    ann = tmp_path / "ann"
    ann.mkdir()
    shutil.copy(ARTICLES / "records" / f"{NAME}.json", ann / "a.json")
    shutil.copy(DATA / "adjudication" / f"{NAME}.b.json", ann / "b.json")
    return tmp_path


def _run(root: Path, *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(main, [*args, "--root", str(root)], input=stdin)


def _choose(path: Path, choices: dict[int, str], default: str = "a") -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    for row in document["decisions"]:
        row["choice"] = choices.get(row["number"], default)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def test_decisions_file_then_gold_record_then_card(root: Path) -> None:
    decisions = root / "ann" / "decisions.json"
    args = ("adjudicate", "ann/a.json", "ann/b.json", "--decisions", str(decisions))
    first = _run(root, *args)
    assert first.exit_code == 0, first.output
    assert f"wrote {decisions}" in first.output
    assert not (root / "corpus" / "records" / f"{NAME}.json").exists()
    listed = json.loads(decisions.read_text(encoding="utf-8"))["decisions"]
    assert len(listed) == len(plan(A, B).decisions)
    assert all(row["choice"] is None and row["context_a"] for row in listed[:4])

    _choose(decisions, {3: "b"})
    second = _run(root, *args, "--adjudicator", "adjudicator-c")
    assert second.exit_code == 0, second.output
    assert "status gold" in second.output
    record = _load(root / "corpus" / "records" / f"{NAME}.json")
    assert record["annotation"]["annotators"] == ["newscorpus-curators", "annotator-b"]
    (round_,) = record["annotation"]["adjudication"]
    assert round_["adjudicator"] == "adjudicator-c" and round_["decisions"] == len(listed)
    mentions = next(r for r in round_["agreement"] if r["layer"] == "mentions")
    assert mentions["f1"] == pytest.approx(agreement(A, B)["mentions"]["f1"])
    assert _run(root, "validate").exit_code == 0

    built = _run(root, "build", "--quiet", "--jobs", "1")
    assert built.exit_code == 0, built.output
    card = (root / "corpus" / "README.md").read_text(encoding="utf-8")
    datasheet = (root / "DATASHEET.md").read_text(encoding="utf-8")
    for text in (card, datasheet):
        assert "1 published article(s) were annotated twice independently" in text
        assert f"| mentions | 1 | 25 | 25 | {mentions['precision']:.3f} |" in text
        assert "Cohen's kappa on the BIO tags" in text
    assert "no article has two annotations" not in card


def test_interactive_session_and_three_way(root: Path) -> None:
    count = len(plan(A, B).decisions)
    session = _run(
        root,
        "adjudicate",
        "ann/a.json",
        "ann/b.json",
        "--adjudicator",
        "adj-c",
        stdin="a\n" * count,
    )
    assert session.exit_code == 0, session.output
    assert "[1] mentions: boundary" in session.output and "⟦new port rules⟧" in session.output
    assert f"{count} decision(s) made in" in session.output
    result = root / "corpus" / "records" / f"{NAME}.json"
    third = perturb(_load(result), random.Random(3), 3)
    third["annotation"] = {
        "annotators": ["annotator-d"],
        "guidelines_version": "1.2",
        "status": "gold",
        "notes": None,
    }
    (root / "ann" / "c.json").write_text(json.dumps(third), encoding="utf-8")
    n = len(plan(_load(result), third).decisions)
    again = _run(
        root,
        "adjudicate",
        str(result),
        "ann/c.json",
        "--out",
        "ann/out/" + f"{NAME}.json",
        "--adjudicator",
        "adj-c",
        stdin="a\n" * n,
    )
    assert again.exit_code == 0, again.output
    rounds = _load(root / "ann" / "out" / f"{NAME}.json")["annotation"]["adjudication"]
    assert [r["b"] for r in rounds] == [["annotator-b"], ["annotator-d"]]
    assert rounds[1]["a"] == ["newscorpus-curators", "annotator-b"]


def test_bad_decisions_files_say_where_and_how_to_fix(root: Path) -> None:
    decisions = root / "ann" / "decisions.json"
    args = ("adjudicate", "ann/a.json", "ann/b.json", "--decisions", str(decisions))
    assert _run(root, *args).exit_code == 0
    _choose(decisions, {2: "maybe"})
    bad = _run(root, *args)
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    assert "/decisions/1/choice" in bad.output and 'set "a"' in bad.output

    _choose(decisions, {}, default=None)  # type: ignore[arg-type]
    open_ = _run(root, *args)
    assert open_.exit_code == 1 and "not made yet" in open_.output

    b = _load(root / "ann" / "b.json")
    b["labels"]["topics"] = ["regulation"]
    (root / "ann" / "b.json").write_text(json.dumps(b), encoding="utf-8")
    stale = _run(root, *args)
    assert stale.exit_code == 1 and "/b/fingerprint" in stale.output
    assert "another version of B" in stale.output


def test_an_existing_record_is_kept_unless_forced(root: Path) -> None:
    target = root / "corpus" / "records" / f"{NAME}.json"
    target.write_text("keep me", encoding="utf-8")
    count = len(plan(A, B).decisions)
    args = ("adjudicate", "ann/a.json", "ann/b.json", "--adjudicator", "adj-c")
    refused = _run(root, *args, stdin="b\n" * count)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "exists and was left as it is: add --force" in refused.output
    assert "choose (decision" not in refused.output  # said before any decision is asked for
    assert target.read_text(encoding="utf-8") == "keep me"
    forced = _run(root, *args, "--force", stdin="b\n" * count)
    assert forced.exit_code == 0, forced.output
    assert (target.parent / f"{NAME}.json.bak").read_text(encoding="utf-8") == "keep me"


def test_an_out_file_not_named_by_the_id_is_refused_before_any_decision(root: Path) -> None:
    count = len(plan(A, B).decisions)
    args = ("adjudicate", "ann/a.json", "ann/b.json", "--out", "ann/merged.json")
    refused = _run(root, *args, stdin="a\n" * count)
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert f"write ann/{NAME}.json instead" in refused.output
    assert "choose (decision" not in refused.output
    assert not (root / "ann" / "merged.json").exists()


def test_different_texts_are_refused(root: Path) -> None:
    other = root / "ann" / "other.json"
    shutil.copy(ARTICLES / "records" / "regulator_fines_brightline.json", other)
    result = _run(root, "adjudicate", "ann/a.json", str(other), "--decisions", "x.json")
    assert result.exit_code == 1 and "different texts" in result.output
    assert not (root / "x.json").exists()
