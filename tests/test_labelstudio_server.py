"""The Label Studio loop against the real thing: a Label Studio 1.23.2 server on 127.0.0.1 and
its web UI in headless Chromium (Debian's), driven with the mouse.

`export labelstudio` -> project from the generated config -> tasks with predictions -> spans,
choices and relations drawn in the UI -> Submit -> export (JSON and JSON_MIN) -> `import
labelstudio` -> the record holds exactly what was drawn. The browser may reach 127.0.0.1 only.

Needs the server's own venv (.venv-labelstudio, made by .ci/run) and /usr/bin/chromium; without
them the module is skipped, unless NEWSCORPUS_REQUIRE_LABEL_STUDIO=1 (set by .ci/run) makes
that a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import labelstudio_harness as ls
from newscorpus.cli import main
from newscorpus.interop.labelstudio.tasks import named_mentions

pytestmark = [pytest.mark.slow, pytest.mark.labelstudio]

INTEROP = Path(__file__).parent / "data" / "interop" / "root"
# Flags, ZWJ sequences, a combining mark with no precomposed form and Devanagari before the
# spans: each counts differently in code points, UTF-16 units and grapheme clusters.
SEED_TEXT = (
    "Flag 🇵🇰 coder 👩\u200d💻 family 👨\u200d👩\u200d👧 q\u0303 नमस्ते\n\n"
    "Ahmed Ali of the Karachi Chamber spoke to Sara Khan in Lahore on Tuesday.\n"
)


def _missing() -> str | None:
    if not ls.LS_BIN.exists():
        return f"no Label Studio at {ls.LS_BIN} (make it as .ci/run does)"
    if not Path(ls.CHROMIUM).exists():
        return f"no Chromium at {ls.CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[ui]')"
    return None


if (_reason := _missing()) is not None:
    if os.environ.get("NEWSCORPUS_REQUIRE_LABEL_STUDIO") == "1":
        raise RuntimeError(_reason)
    pytest.skip(_reason, allow_module_level=True)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ls.Server]:
    srv = ls.start_server(tmp_path_factory.mktemp("label-studio"), free_port())
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright, context = ls.launch_browser()
    try:
        yield context
    finally:
        context.close()
        playwright.stop()


@pytest.fixture
def page(browser: Any, server: ls.Server) -> Iterator[Any]:
    page = browser.new_page()
    ls.login(page, server)  # the context is shared: each test starts as the admin
    yield page
    page.close()
    # Nothing but 127.0.0.1 was reached (the routing aborts the rest and lists it).
    assert all("127.0.0.1" in url for url in browser.aborted_urls if "/heidi-tips" not in url)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A corpus with the interop records and a fresh draft of SEED_TEXT (`newscorpus add`)."""
    target = tmp_path / "corpus-root"
    shutil.copytree(INTEROP, target)
    seed = target / "seeds" / "010_emoji.txt"
    seed.write_bytes(SEED_TEXT.encode("utf-8"))
    result = run("add", str(seed), "--root", str(target))
    assert result.exit_code == 0, result.output
    return target


def project_from_export(
    server: ls.Server, root: Path, tmp_path: Path, title: str
) -> tuple[int, dict[str, int]]:
    out = tmp_path / f"ls-{title}"
    result = run("export", "labelstudio", str(out), "--root", str(root), "--include-drafts")
    assert result.exit_code == 0, result.output
    project = ls.create_project(server, title, (out / "labeling-config.xml").read_text("utf-8"))
    tasks = json.loads((out / "tasks.json").read_text("utf-8"))
    answer = ls.import_tasks(server, project, tasks)
    assert answer["task_count"] == len(tasks)
    return project, ls.task_id_by_data_id(server, project)


def exports(server: ls.Server, project: int, tmp_path: Path) -> dict[str, Path]:
    """The project's JSON export (with annotators' emails) and its JSON_MIN export."""
    files = {}
    for fmt in ("JSON", "JSON_MIN"):
        data = ls.export_snapshot(server, project, fmt)
        files[fmt] = tmp_path / f"export-{fmt}.json"
        files[fmt].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return files


def record(root: Path, doc_id: str, folder: Path | None = None) -> dict[str, Any]:
    path = (folder or root / "corpus" / "records") / f"{doc_id}.json"
    return json.loads(path.read_text("utf-8"))


def test_spans_drawn_after_emoji_import_exactly(
    server: ls.Server, page: Any, root: Path, tmp_path: Path
):
    project, ids = project_from_export(server, root, tmp_path, "drawn")
    text = record(root, "010_emoji")["text"]
    assert "👩\u200d💻" in text  # ingestion kept the joiner
    ls.open_task_ready(page, server, project, ids["010_emoji"])
    assert ls.rendered_text(page) == text
    drawn = {}
    for words, label in (
        ("Ahmed Ali", "PERSON"),
        ("Karachi Chamber", "ORG"),
        ("Sara Khan", "PERSON"),
        ("Tuesday", "DATE"),
    ):
        start = text.index(words)
        drawn[words] = ls.draw_span(page, label, start, start + len(words), text=text)
    ls.set_per_region_choice(page, "NAM", region_id=drawn["Ahmed Ali"])
    ls.draw_relation(page, drawn["Ahmed Ali"], drawn["Karachi Chamber"], label="MEMBER_OF")
    ls.set_document_choice(page, "business")
    ls.fill_document_textarea(page, "countries", "PK")
    ls.screenshot(page, tmp_path / "drawn.png")
    ls.submit(page)

    files = exports(server, project, tmp_path)
    table = tmp_path / "annotators.json"
    table.write_text(json.dumps({server.email: "newscorpus-curators"}), encoding="utf-8")
    # JSON_MIN drops per-region choices and relations: a first annotation is refused from it.
    folder = tmp_path / "from-min"
    result = run("import", "labelstudio", str(files["JSON_MIN"]), "--root", str(root),
                 "--out", str(folder), "--annotator-map", str(table))  # fmt: skip
    assert result.exit_code == 1 and "[import-json-min-incomplete]" in result.output
    assert not folder.exists()
    for fmt, folder in (("JSON", tmp_path / "from-json"),):
        result = run("import", "labelstudio", str(files[fmt]), "--root", str(root),
                     "--out", str(folder), "--annotator-map", str(table))  # fmt: skip
        assert result.exit_code == 0, result.output
        got = record(root, "010_emoji", folder)
        assert [(m["start"], m["end"], m["text"], m["label"]) for m in got["mentions"]] == [
            (text.index(w), text.index(w) + len(w), w, label)
            for w, label in (
                ("Ahmed Ali", "PERSON"),
                ("Karachi Chamber", "ORG"),
                ("Sara Khan", "PERSON"),
                ("Tuesday", "DATE"),
            )
        ]
        assert got["labels"] == {"topics": ["business"], "countries": ["PK"]}
        assert got["annotation"]["annotators"][-1] == "newscorpus-curators"
        check = run("validate", "--root", str(root), str(folder / "010_emoji.json"))
        assert check.exit_code == 0, check.output
    relations = record(root, "010_emoji", tmp_path / "from-json")["relations"]
    mentions = {m["text"]: m for m in record(root, "010_emoji", tmp_path / "from-json")["mentions"]}
    assert relations == [
        {
            "id": "r1",
            "type": "MEMBER_OF",
            "head": mentions["Ahmed Ali"]["entity"],
            "tail": mentions["Karachi Chamber"]["entity"],
            "evidence": [mentions["Ahmed Ali"]["id"], mentions["Karachi Chamber"]["id"]],
        }
    ]


def test_gold_record_survives_the_round_trip(server: ls.Server, page: Any, tmp_path: Path):
    root = tmp_path / "root"
    shutil.copytree(INTEROP, root)
    repo = Path(__file__).resolve().parent.parent
    for sub in ("seeds", "corpus/records"):  # the seed article: every layer, gold
        for path in (repo / sub).glob("000_*"):
            shutil.copy2(path, root / sub / path.name)
    gold_id = next((repo / "corpus" / "records").glob("000_*.json")).stem
    before = (root / "corpus" / "records" / f"{gold_id}.json").read_bytes()
    project, ids = project_from_export(server, root, tmp_path, "gold")
    # 80 mentions and 120 arrows take a while to draw on a busy machine.
    ls.open_task_ready(page, server, project, ids[gold_id], min_regions=1, timeout=90_000)
    ls.screenshot(page, tmp_path / "gold-predictions.png")
    ls.submit(page)  # the annotator accepts the predictions as they are
    files = exports(server, project, tmp_path)
    for fmt in ("JSON", "JSON_MIN"):
        result = run(
            "import",
            "labelstudio",
            str(files[fmt]),
            "--root",
            str(root),
            "--annotator",
            server.email,
        )
        assert result.exit_code == 0, result.output
        assert f"unchanged {root / 'corpus' / 'records' / gold_id}.json" in result.output
        assert (root / "corpus" / "records" / f"{gold_id}.json").read_bytes() == before


def test_two_annotators_import_as_two_records(
    server: ls.Server, page: Any, browser: Any, root: Path, tmp_path: Path
):
    project, ids = project_from_export(server, root, tmp_path, "two")
    text = record(root, "010_emoji")["text"]
    second = "second@example.org"
    ls.create_user(server, second, "second-password-1")
    for email, password, words in (
        (server.email, server.password, ("Ahmed Ali", "Sara Khan")),
        (second, "second-password-1", ("Ahmed Ali", "Lahore")),
    ):
        ls.logout(page, server)
        ls.login(page, server, email, password)
        ls.open_task_ready(page, server, project, ids["010_emoji"])
        ls.ensure_own_annotation(page, email)
        for word in words:
            start = text.index(word)
            ls.draw_span(
                page, "GPE" if word == "Lahore" else "PERSON", start, start + len(word), text=text
            )
        ls.submit(page)
    files = exports(server, project, tmp_path)
    out = tmp_path / "review"
    table = tmp_path / "annotators.json"
    table.write_text(json.dumps({server.email: "ann1", second: "ann2"}), encoding="utf-8")
    result = run("import", "labelstudio", str(files["JSON"]), "--root", str(root),
                 "--out", str(out), "--each-annotator", "--annotator-map", str(table))  # fmt: skip
    assert result.exit_code == 0, result.output
    first = out / "ann1" / "010_emoji.json"
    other = out / "ann2" / "010_emoji.json"
    assert [m["text"] for m in json.loads(first.read_text("utf-8"))["mentions"]] == [
        "Ahmed Ali",
        "Sara Khan",
    ]
    assert [m["text"] for m in json.loads(other.read_text("utf-8"))["mentions"]] == [
        "Ahmed Ali",
        "Lahore",
    ]
    agreement = run("agreement", str(first), str(other), "--root", str(root), "--json")
    assert agreement.exit_code == 0, agreement.output
    assert '"mentions"' in agreement.output


def gold_root(tmp_path: Path) -> tuple[Path, str]:
    """A fixture root holding the seed article's gold record (every layer)."""
    root = tmp_path / "root"
    shutil.copytree(INTEROP, root)
    repo = Path(__file__).resolve().parent.parent
    for sub in ("seeds", "corpus/records"):
        for path in (repo / sub).glob("000_*"):
            shutil.copy2(path, root / sub / path.name)
    return root, next((repo / "corpus" / "records").glob("000_*.json")).stem


def test_one_region_per_cue_and_a_name_typed_in_the_editor(
    server: ls.Server, page: Any, tmp_path: Path
):
    """A speech act's cue and its event's trigger are one region, its source is implied by the
    event's speaker or agent, and an entity renamed in the editor's entity_name box is renamed
    by the import, with nothing else changed."""
    root, gold_id = gold_root(tmp_path)
    gold = record(root, gold_id)
    project, ids = project_from_export(server, root, tmp_path, "regions")
    ls.open_task_ready(page, server, project, ids[gold_id], min_regions=1, timeout=90_000)
    regions = ls.regions_info(page)
    places = [(r["start"], r["end"]) for r in regions]
    assert len(set(places)) == len(places)  # no two regions on the same characters
    assert [r for r in regions if r["from_name"] == "cue"] == []  # every cue is its event's
    assert len(regions) == len(gold["mentions"]) + len(gold["events"]) + sum(
        len(q["content"]) for q in gold["quotes"]
    )
    drawn = {(r["from"], r["to"], tuple(r["labels"])) for r in ls.relations_info(page)}
    quote_links = {(a, b) for a, b, labels in drawn if labels in (("cue",), ("source",))}
    assert len(quote_links) == len(gold["quotes"])  # one arrow per quote: to its cue event
    # An ORG whose name box sits on a region that holds no other (a click there selects it).
    spans = [(c["start"], c["end"]) for q in gold["quotes"] for c in q["content"]]
    spans += [(m["start"], m["end"]) for m in gold["mentions"]]
    spans += [(e["trigger"]["start"], e["trigger"]["end"]) for e in gold["events"]]
    names = named_mentions(gold)
    shown = next(
        m
        for m in gold["mentions"]
        if m["id"] in names and m["label"] == "ORG"
        and not any(a <= m["start"] < b or a < m["end"] <= b for a, b in spans
                    if (a, b) != (m["start"], m["end"]))
    )  # fmt: skip
    entity = next(e for e in gold["entities"] if e["id"] == shown["entity"])
    # The Relations tab's "Hide all" hides every arrow; "Show all" brings them back.
    ls.open_relations_tab(page)
    visible = (
        "() => window.Htx.annotationStore.selected.relationStore.relations.map(r => r.visible)"
    )
    page.locator("button[aria-label='Hide all']").locator("visible=true").first.click()
    page.wait_for_function(f"() => !({visible})().some(v => v)", timeout=5000)
    ls.screenshot(page, tmp_path / "arrows-hidden.png")
    page.locator("button[aria-label='Show all']").locator("visible=true").first.click()
    page.wait_for_function(f"() => ({visible})().every(v => v)", timeout=5000)
    ls.open_regions_tab(page)
    ls.fill_per_region_textarea(page, "entity_name", "Renamed In The Editor", region_id=shown["id"])
    ls.screenshot(page, tmp_path / "renamed.png")
    ls.submit(page)
    files = exports(server, project, tmp_path)
    out = tmp_path / "renamed"
    result = run("import", "labelstudio", str(files["JSON"]), "--root", str(root), "--out",
                 str(out), "--annotator-id", "newscorpus-curators")  # fmt: skip
    assert result.exit_code == 0, result.output
    got = record(root, gold_id, out)
    want = json.loads(json.dumps(gold))
    next(e for e in want["entities"] if e["id"] == entity["id"])["name"] = "Renamed In The Editor"
    for layer in ("mentions", "entities", "quotes", "events", "relations", "labels"):
        assert got[layer] == want[layer], layer


NEW_TEXT = (
    "Press club calls for talks\n\n"
    "KARACHI: Karachi Press Club President Fazil Jameeli said on Monday that the government "
    "must withdraw the rules.\n\n"
    "He urged the Pakistan Federal Union of Journalists (PFUJ) to protest.\n"
)


@pytest.fixture
def backend(root: Path) -> Iterator[str]:
    """`newscorpus serve-suggestions` as a curator runs it, on a free port of 127.0.0.1."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    exe = Path(sys.executable).with_name("newscorpus")
    process = subprocess.Popen(
        [str(exe), "serve-suggestions", "--port", str(port), "--root", str(root)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as answer:
                    assert json.loads(answer.read())["status"] == "UP"
                break
            except OSError:
                assert process.poll() is None, process.stdout.read() if process.stdout else ""
                assert time.monotonic() < deadline, "serve-suggestions did not answer /health"
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_retrieve_predictions_fills_every_layer_from_the_suggester(
    server: ls.Server, page: Any, root: Path, backend: str, tmp_path: Path
):
    from newscorpus.interop.labelstudio.backend import MODEL_VERSION, predict_task

    out = tmp_path / "ls-ml"
    made = run("export", "labelstudio", str(out), "--root", str(root), "--include-drafts")
    assert made.exit_code == 0, made.output
    config = (out / "labeling-config.xml").read_text("utf-8")
    project = ls.create_project(server, "suggest", config)
    ls.import_tasks(server, project, [{"data": {"text": NEW_TEXT}}])  # no predictions
    connected = ls.connect_ml_backend(server, project, backend, MODEL_VERSION)
    assert connected["state"] == "CO", connected  # connected: /health and /setup answered
    task_id = ls.list_tasks(server, project)[0]["id"]
    answer = ls.retrieve_predictions_ui(page, server, project)
    assert answer.get("processed_items") == 1, answer
    stored = server.get(f"/api/predictions/?task={task_id}")
    assert [p["model_version"] for p in stored] == [MODEL_VERSION]
    expected = predict_task({"id": task_id, "data": {"text": NEW_TEXT}}, root).result
    assert stored[0]["result"] == expected
    kinds = {r["from_name"] for r in expected if "from_name" in r}
    assert {"mention", "entity", "event", "modality", "quote", "topics"} <= kinds
    links = {r["labels"][0] for r in expected if r["type"] == "relation"}
    assert {"cue", "CHAIR_OF"} <= links and links & {"speaker", "agent"}
    # The annotator opens the task: the suggester's regions are drawn, ready to correct.
    spans = [r for r in expected if r["type"] == "labels"]
    ls.open_task_ready(page, server, project, task_id, min_regions=len(spans))
    shown = {(r["start"], r["end"], r["from_name"]) for r in ls.regions_info(page)}
    assert shown == {(r["value"]["start"], r["value"]["end"], r["from_name"]) for r in spans}
    ls.screenshot(page, tmp_path / "retrieved.png")
