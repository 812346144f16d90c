"""``viscarbon serve`` (the dashboard) and ``viscarbon export-site`` (a static copy)."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from viscarbon.cli.common import console, err_console, fail, handle_errors, store_path, workspace
from viscarbon.cli.options import ImputeOpt, StoreOpt
from viscarbon.errors import UnknownCode
from viscarbon.i18n import normalize_lang, t
from viscarbon.web.app import create_app
from viscarbon.web.site import export_site

__all__ = ["export_site_cmd", "serve"]


def _lang(lang: str) -> str:
    try:
        return normalize_lang(lang)
    except UnknownCode as exc:
        fail(str(exc))
        raise  # unreachable


@handle_errors
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8050,
    lang: Annotated[str, typer.Option("--lang", help="Language of the page: zh or en.")] = "en",
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open a browser tab.")] = False,
    impute_missing: ImputeOpt = False,
    allow_host: Annotated[list[str] | None, typer.Option(
        "--allow-host", help="Also answer requests that name the server so (a host name or address; "
                             "repeat for several). Loopback and the bound address always work.")] = None,
) -> None:
    """Serve the dashboard (the synthetic demo when nothing is imported)."""
    lang_c = _lang(lang)
    path = store_path(store)
    web_app = create_app(store_path=path, lang=lang_c, impute_missing=impute_missing, bind_host=host,
                         allowed_hosts=tuple(allow_host or ()))
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/?lang={lang_c}"
    if host.strip() in ("0.0.0.0", "::", "[::]", ""):
        err_console.print(t("api.cli.serve_all_interfaces", lang_c), highlight=False, soft_wrap=True)
    names = [d.name for d in web_app.state.workspace.datasets()]
    if names == ["demo"]:
        console.print(t("api.cli.serve_demo", lang_c), highlight=False)
    console.print(t("api.cli.serve_url", lang_c, url=url), highlight=False, soft_wrap=True)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@handle_errors
def export_site_cmd(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the static site into.")],
    dataset: Annotated[str | None, typer.Option("--dataset", help="Dataset to export (default: demo).")] = None,
    store: StoreOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the messages: zh or en.")] = "en",
    impute_missing: ImputeOpt = False,
) -> None:
    """Write a static copy of the dashboard (every province-year of one dataset) that works
    from file:// with networking off and on any static host."""
    lang_c = _lang(lang)
    ws = workspace(store, impute_missing=impute_missing)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=False) as bar:
        task = bar.add_task(t("api.cli.export_progress", lang_c), total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = export_site(ws, outdir, dataset=dataset, progress=tick)
    console.print(
        t("api.cli.export_done", lang_c, path=str(result.outdir), files=result.files,
          size=f"{result.bytes / 1e6:.1f}", index=str(result.index)),
        highlight=False, soft_wrap=True,
    )
