"""`newscorpus serve-suggestions`: the suggester as a Label Studio ML backend."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ..paths import RECORDS_DIR
from .options import CONTEXT, root_option


@click.command("serve-suggestions", context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind. The default serves this machine only; Label Studio must run here.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=9090, show_default=True, help="Port to bind."
)
@root_option
def serve_suggestions(host: str, port: int, root: Path) -> None:
    """Serve the suggester to Label Studio over its ML-backend protocol.

    Answers /health, /setup and /predict. Connect it in the project's Settings > Model (Label
    Studio started with ML_BLOCK_LOCAL_IP=false, since the backend is on this machine), then
    choose tasks in the Data Manager and Actions > Retrieve Predictions: each task is filled
    with every layer the suggester drafts. A task made by `export labelstudio` is predicted
    from its record under --root; any other task's text is drafted from nothing, with the
    gold records under --root as the gazetteer. Stop it with Ctrl-C.

    Example: newscorpus serve-suggestions --port 9090
    """
    from ..interop.labelstudio.backend import MODEL_VERSION, make_server

    if not (root / RECORDS_DIR).is_dir():
        raise click.UsageError(f"{root / RECORDS_DIR} is not a folder; give the checkout's --root")
    try:
        server = make_server(root, host, port)
    except OSError as err:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {err.strerror or err}; choose another --port"
        ) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    bound_host, bound_port = str(server.server_address[0]), server.server_address[1]
    click.echo(
        f"serving suggestions ({MODEL_VERSION}) on http://{bound_host}:{bound_port} (Ctrl-C stops)"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()
