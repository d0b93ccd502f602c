"""The report: ``reports/QUIRKS.md``, ``quirks/<id>.md``, ``index.html``, ``quirks.json``, ``CHANGES.md``.

All are rendered from one model (``model.build_report``) in memory first, then written file by
file through a temporary file and a rename: bad input leaves ``reports/`` as it was. Detail files
of quirks that no longer exist are removed after the new ones are in place.
"""

from __future__ import annotations

from pathlib import Path

from provider_quirks.cassette import write_atomically
from provider_quirks.report.changes import render_changes
from provider_quirks.report.detail import render_details
from provider_quirks.report.html import render_html
from provider_quirks.report.jsonexport import render_json
from provider_quirks.report.markdown import render_markdown
from provider_quirks.report.model import DETAIL_DIR, Report

REPORT_FILES = ("QUIRKS.md", "index.html", "quirks.json", "CHANGES.md")


def render_report(report: Report, generated_at: str) -> dict[str, str]:
    """Path relative to the report folder -> text; only ``quirks.json`` depends on ``generated_at``."""
    return {
        "QUIRKS.md": render_markdown(report),
        **render_details(report),
        "index.html": render_html(report),
        "quirks.json": render_json(report, generated_at),
        "CHANGES.md": render_changes(report),
    }


def write_report(out_dir: Path, files: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = out_dir / name
        write_atomically(path, text)
        path.chmod(0o644)  # the temporary file was private; a report is for reading
        paths.append(path)
    for stale in sorted((out_dir / DETAIL_DIR).glob("*.md")):
        if stale not in paths:
            stale.unlink()
    return paths
