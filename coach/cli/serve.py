"""``coach serve``: the local web page, on this machine only unless told otherwise."""

from __future__ import annotations

import click

from coach.app.coach import ModelChoice
from coach.cli.options import config_option, model_choice
from coach.cli.terminal import notice
from coach.errors import UsageError
from coach.rules.config import load_settings

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the default browser.")
@config_option()
@model_choice
def serve(host: str, port: int, open_browser: bool, config_path: str | None, model: ModelChoice) -> None:
    """Serve the coach page: critique, rewrite, compose and plan in the browser.

    Works offline with the rules and uses the model when one is configured; the
    page and its JSON API (POST /api/critique, /api/rewrite, /api/compose,
    /api/plan) answer only this machine's browser and send nothing anywhere else.
    Press Ctrl+C to stop. Exit codes: 0 stopped, 2 usage error (e.g. the port is
    taken), 3 --llm given and the model could not be used.
    """
    from coach.web.api import Service
    from coach.web.server import make_server

    service = Service(load_settings(config_path), model, notify=notice)
    llm = service.coach().llm  # a bad model setup (--llm without a key) fails now, not per request
    try:
        server = make_server(service, "127.0.0.1" if host == "localhost" else host, port)
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc})", "pick another --port (0: any free port)"
        ) from None
    if host not in LOOPBACK:
        notice(
            f"listening on {host}: other machines can reach the port; the page still answers only requests "
            "addressed to localhost or that address"
        )
    mode = f"model {llm.model}" if llm is not None else "rules only"
    click.echo(f"coach: serving {server.url} ({mode}); press Ctrl+C to stop", err=True)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("coach: stopped", err=True)
    finally:
        server.server_close()
