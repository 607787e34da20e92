"""Write output folders atomically: a run's report (DESIGN §5), a comparison.

Everything is written into a hidden temporary folder beside the destination, which is
swapped into place only when complete: a crash, Ctrl-C or a full disk leaves either the
old report or the new one, never half of one. The destination is replaced only if sim
wrote everything in it (:mod:`sim.runs.output_folder`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from sim.errors import RunError
from sim.report.csv import write_chunks
from sim.report.html import render_html
from sim.report.json import build_report, dumps
from sim.report.markdown import render_markdown
from sim.report.tidy import PARQUET, write_parquet
from sim.runs import output_folder
from sim.runs.montecarlo import Run

Step = Callable[[], None]
"""Called as each step of writing a report is done: a table, report.json, a figure, a
document (:func:`report_steps` counts them), for a progress bar."""


def report_steps(parquet: bool = False) -> int:
    """How many times :func:`write_report` calls its `step`."""
    # matplotlib loads only when figures are drawn (this count comes before, in sim run)
    from sim.report.figures import PAINTERS

    # replications.csv, [replications.parquet,] report.json, each figure, report.md, .html
    return 2 + parquet + len(PAINTERS) + 2


def write_report(
    run: Run, out: str | Path, parquet: bool = False, step: Step | None = None
) -> Path:
    """Write report.json, report.md, report.html, replications.csv and figures/ to `out`,
    and with `parquet` the long form in replications.parquet (:mod:`sim.report.tidy`).

    The folder replaces `out` whole when everything is written, checkpoints of the run
    (``out/.chunks``) included: they are read until then, and only then are they done.
    `step` hears each step done (:func:`report_steps`).
    """
    # matplotlib loads only when figures are drawn, not for `import sim` or `sim validate`
    from sim.report.figures import write_figures

    done = step if step is not None else _nothing
    with staged_folder(out, "the report", "run") as staging:
        report = write_run_record(run, staging, parquet, done)
        figures = write_figures(run, report, staging / "figures", step)
        (staging / "report.md").write_text(render_markdown(run, report, figures), encoding="utf-8")
        done()
        (staging / "report.html").write_text(
            render_html(run, report, figures, staging), encoding="utf-8"
        )
        done()
    return Path(out)


def _nothing() -> None:
    """No one is listening."""


def write_run_record(
    run: Run, folder: Path, parquet: bool = False, step: Step | None = None
) -> dict:
    """Write the run's replications table(s) and report.json into `folder`; the report.

    The tables go first, a chunk at a time, so that report.json can record their names
    and the CSV's checksum: ``sim compare`` then knows the two files belong together.
    `step` hears each file written.
    """
    done = step if step is not None else _nothing
    name, digest = write_chunks(run.chunks(), run.replications, folder)
    done()
    report = build_report(run)
    report["files"] = {"replications": name, "replications_sha256": digest}
    if parquet:
        write_parquet(run.chunks(), folder / PARQUET)
        report["files"]["replications_long"] = PARQUET
        done()
    (folder / "report.json").write_text(dumps(report), encoding="utf-8")
    done()
    return report


@contextlib.contextmanager
def staged_folder(out: str | Path, what: str, command: str) -> Iterator[Path]:
    """A hidden folder beside `out` to write into; it replaces `out` when the block ends.

    `out` must be new or written by sim (:func:`sim.runs.output_folder.claim`), checked before
    and again just before the swap; the folder is marked as written by ``sim <command>``.
    Any error inside the block removes the staging folder and leaves `out` as it was; an
    OS error (disk full, permissions) becomes a one-line :class:`RunError` naming `what`
    was being written. Staging folders of killed runs are removed first. Shared by every
    command that writes an output folder.
    """
    out = Path(out)
    output_folder.claim(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        output_folder.remove_stale_staging(out)
        staging = Path(
            tempfile.mkdtemp(prefix=f"{output_folder.STAGING_PREFIX}{out.name}-", dir=out.parent)
        )
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a report is not
        output_folder.mark(staging, command, complete=False)
    except OSError as error:
        raise RunError(f"cannot write to {out.parent}: {error.strerror or error}") from None
    try:
        yield staging
        output_folder.mark(staging, command)
        output_folder.claim(out)
        _swap_into_place(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise RunError(f"cannot write {what} to {out}: {error.strerror or error}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _swap_into_place(staging: Path, out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise RunError(f"{out} exists and is not a folder")
    retired = None
    if out.exists():
        retired = Path(
            tempfile.mkdtemp(prefix=f"{output_folder.RETIRED_PREFIX}{out.name}-", dir=out.parent)
        )
        os.replace(out, retired / out.name)
    os.replace(staging, out)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
