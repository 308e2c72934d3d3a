"""`newscorpus serve-suggestions` without Label Studio: the protocol's answers, bad requests
answered with a message, and a port in use refused by the command with a message."""

from __future__ import annotations

import json
import shutil
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newscorpus.cli import main
from newscorpus.interop.labelstudio.backend import MODEL_VERSION, serve_in_thread

INTEROP = Path(__file__).parent / "data" / "interop" / "root"
TEXT = (
    "Club calls for talks\n\n"
    "Karachi Press Club President Fazil Jameeli said on Monday that the rules must go.\n"
)


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "root"
    shutil.copytree(INTEROP, root)
    server = serve_in_thread(root)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def call(url: str, path: str, body: bytes | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url + path, data=body, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_health_setup_and_predict(url: str):
    assert call(url, "/health") == (200, {"status": "UP", "model_class": "newscorpus suggester"})
    assert call(url, "/setup", b'{"project": "1.1", "schema": "<View/>"}') == (
        200,
        {"model_version": MODEL_VERSION},
    )
    tasks = {"tasks": [{"id": 1, "data": {"text": TEXT}}, {"id": 2, "data": {}}]}
    status, answer = call(url, "/predict", json.dumps(tasks).encode())
    assert status == 200 and len(answer["results"]) == 2
    first, second = answer["results"]
    assert second == {"result": [], "model_version": MODEL_VERSION}
    spans = {(r["from_name"], r["value"]["text"]) for r in first["result"] if r["type"] == "labels"}
    assert ("mention", "Fazil Jameeli") in spans and ("event", "said") in spans
    assert any(name == "quote" for name, _ in spans)


@pytest.mark.parametrize(
    ("path", "body", "status", "words"),
    [
        ("/predict", b"{not json", 400, "not JSON"),
        ("/predict", b'{"tasks": 3}', 400, "no list of tasks"),
        ("/train", b"{}", 404, "answers /health, /setup and /predict"),
    ],
)
def test_bad_requests_get_a_message(url: str, path: str, body: bytes, status: int, words: str):
    got, answer = call(url, path, body)
    assert got == status and words in answer["error"]


def test_a_port_in_use_is_refused_with_a_message(tmp_path: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            main, ["serve-suggestions", "--port", str(port), "--root", str(INTEROP)]
        )
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output
