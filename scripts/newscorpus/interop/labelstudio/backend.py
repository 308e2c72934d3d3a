"""The suggester served over Label Studio's ML-backend protocol (`newscorpus serve-suggestions`).

Label Studio 1.23 talks to an ML backend with three calls, all JSON:

- `GET /health`: is the backend up (`{"status": "UP"}`);
- `POST /setup` with the project's labeling config: the backend answers its `model_version`;
- `POST /predict` with `{"tasks": [...], "project": ..., "label_config": ...}`: the backend
  answers `{"results": [...]}`, one prediction (`{"result": [...], "model_version": ...}`) per
  task, in the order of the tasks.

A task that names a record under --root (`data.doc_id`, as `export labelstudio` writes it) and
holds the record's text is predicted from that record: a draft gets the suggester's drafts on
top of what is confirmed, a gold record is given as it stands. Any other task is a new article:
its text, exactly as the task holds it, is drafted from nothing. Either way the result is made
by the same function that makes the exported tasks' predictions, so it fills every layer of the
labeling config that `export labelstudio` writes.

The server is the standard library's ThreadingHTTPServer: three small JSON endpoints need no web
framework, and a curator's machine needs nothing more installed. It binds 127.0.0.1 unless told
otherwise, and it never reaches the network.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ...errors import NewscorpusError
from ...ingest import split_passages
from ...model import Record
from ...paths import RECORDS_DIR
from .tasks import prediction_result

MODEL_VERSION = "newscorpus-suggest"
MAX_BODY = 64 * 1024 * 1024  # a request larger than this is refused, not read
log = logging.getLogger(__name__)


@dataclass
class Predicted:
    result: list[dict[str, Any]]
    note: str  # what the prediction was made from, for the server's log


def _record_for(data: dict[str, Any], root: Path) -> tuple[Record, str] | None:
    """The record the task was made from, when --root holds it with the task's exact text."""
    from ...curate.evaluate import sound_record

    for key in (data.get("doc_id"), data.get("id")):
        if not isinstance(key, str) or "/" in key or key.startswith("."):
            continue
        path = root / RECORDS_DIR / f"{key}.json"
        if path.is_file():
            record = sound_record(path, root, NewscorpusError)
            if record["text"] == data["text"]:
                return record, key
    return None


def _fresh_record(text: str, doc_id: str) -> Record:
    """A draft holding only `text` (unchanged: the task's offsets are the record's)."""
    from ...ingest import draft_record

    record = draft_record(b"x", f"labelstudio/{doc_id}", doc_id)
    record["text"], record["passages"] = text, split_passages(text)
    return record


def predict_task(task: Any, root: Path) -> Predicted:
    """One task's prediction; a task that cannot be predicted gets an empty one and a note."""
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return Predicted([], "the task has no data.text; nothing predicted")
    from ...curate.suggest.resuggest import suggest_draft

    try:
        found = _record_for(data, root)
        if found is not None and found[0]["annotation"]["status"] == "gold":
            return Predicted(prediction_result(found[0]), f"gold record {found[1]}, as it stands")
        if found is not None:
            drafted, counts = suggest_draft(found[0], root)
            return Predicted(prediction_result(drafted), f"draft {found[1]}: {counts.summary()}")
        if not data["text"].strip():
            return Predicted([], "the task's text is empty; nothing predicted")
        ident = f"task-{task.get('id', 'new')}"
        drafted, counts = suggest_draft(_fresh_record(data["text"], ident), root)
        return Predicted(prediction_result(drafted), f"new text: {counts.summary()}")
    except NewscorpusError as err:
        return Predicted([], f"nothing predicted: {err}")


def answer(path: str, body: Any, root: Path) -> tuple[int, dict[str, Any]]:
    """The status and JSON answer of the ML-backend call `path` with the JSON `body`."""
    if path in ("/", "/health"):
        return 200, {"status": "UP", "model_class": "newscorpus suggester"}
    if path == "/setup":
        return 200, {"model_version": MODEL_VERSION}
    if path == "/predict":
        tasks = body.get("tasks") if isinstance(body, dict) else None
        if not isinstance(tasks, list):
            return 400, {"error": "the request has no list of tasks ({'tasks': [...]})"}
        results = []
        for task in tasks:
            predicted = predict_task(task, root)
            log.info(
                "task %s: %s", task.get("id") if isinstance(task, dict) else "?", predicted.note
            )
            results.append({"result": predicted.result, "model_version": MODEL_VERSION})
        return 200, {"results": results, "model_version": MODEL_VERSION}
    if path == "/webhook":
        return 200, {}
    return 404, {"error": f"{path} is not an ML-backend call; this backend answers /health, "
                 "/setup and /predict"}  # fmt: skip


def _handler(root: Path) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newscorpus-suggestions"

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (the http.server interface)
            path = self.path.split("?")[0]
            status, payload = answer(path, None, root) if path in ("/", "/health") else (
                405, {"error": f"GET {path}: use POST for /setup and /predict"})  # fmt: skip
            self._send(status, payload)

        def do_POST(self) -> None:  # noqa: N802
            length = self.headers.get("Content-Length", "0")
            if not length.isdigit() or int(length) > MAX_BODY:
                self._send(413, {"error": f"the request body must be at most {MAX_BODY} bytes"})
                return
            try:
                body = json.loads(self.rfile.read(int(length)) or b"{}")
            except (UnicodeDecodeError, json.JSONDecodeError) as err:
                self._send(400, {"error": f"the request body is not JSON: {err}"})
                return
            self._send(*answer(self.path.split("?")[0], body, root))

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.info("%s %s", self.address_string(), format % args)

    return Handler


def make_server(root: Path, host: str = "127.0.0.1", port: int = 9090) -> ThreadingHTTPServer:
    """The backend's HTTP server, bound but not yet serving (call serve_forever)."""
    server = ThreadingHTTPServer((host, port), _handler(root))
    server.daemon_threads = True
    return server


def serve_in_thread(root: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start the backend on a thread (port 0: a free one); stop it with shutdown()."""
    server = make_server(root, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
