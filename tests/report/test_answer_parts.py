"""The report says, per reconstructed answer, which parts its source quotes and which the suite filled in.

A reader of a cell's detail must not take a filled-in reason phrase or ``content-type`` header for
the provider's own bytes. The three views show the same parts, read from the cassette's
``evidence.quoted``; recorded answers, the provider's in full, show none.
"""

import json
from html import escape

from report_helpers import ROOT, load

from provider_quirks.cassette import Interaction, load_cassette
from provider_quirks.provenance import Provenance, provenance
from provider_quirks.sdk.clients import SDK_CLIENTS

#: Reconstructed cells with an answer in the committed report; fewer means the check ran on little.
#: Answers checked: the SDK cells' answers are in the report only where the sdk extra is installed.
MIN_RECONSTRUCTED_ANSWERS = 120 if all(client.installed() for client in SDK_CLIENTS) else 95


def section(text: str, start: str, end: str) -> str:
    """The part of ``text`` from ``start`` up to the next ``end``."""
    at = text.index(start)
    stop = text.find(end, at + len(start))
    return text[at : stop if stop != -1 else len(text)]


def anchor(cell: dict) -> str:
    return f"cell-{cell['quirk']}--{cell['target']}".replace("@", "-at-")


def parsed(body: object) -> object:
    """A request body as JSON where it is JSON text, else as given."""
    if not isinstance(body, str):
        return body
    try:
        return json.loads(body)
    except ValueError:
        return body


def declared_parts(cell: dict, probe: str, request: dict) -> list[Provenance]:
    """The parts the cell's cassette declares for each interaction that may answer the probe.

    Those sent to the same path with the same body, and those whose evidence note names the probe.
    """
    cassette = load_cassette(ROOT / cell["cassette"])
    body = parsed(request["body"])

    def answers(interaction: Interaction) -> bool:
        sent = parsed(interaction.request_body.decode() if interaction.request_body else None)
        same = interaction.uri.split("?", 1)[0].endswith(request["path"]) and sent == body
        return same or (interaction.evidence or {}).get("probe") == probe

    found = [provenance(cassette, i) for i in cassette.interactions if answers(i)]
    return [parts for parts in found if parts is not None]


def test_describe_names_the_parts_and_the_kept_headers():
    parts = Provenance(("status", "body"), ("reason", "headers"), ("content-type",), None)
    assert parts.describe() == "quoted: status, body · filled by the suite: reason phrase, content-type header"
    both = Provenance(("status", "reason", "headers", "body"), (), ("content-type", "retry-after"), "documented")
    assert both.describe() == (
        "quoted: status, reason phrase, content-type, retry-after headers, body · filled by the suite: nothing"
        " · body completed after the documented envelope"
    )


def test_every_view_shows_the_parts_of_each_reconstructed_answer(report_dir):
    data = load(report_dir / "quirks.json")
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    checked = 0
    for cell in data["cells"]:
        markdown = (report_dir / "quirks" / f"{cell['quirk']}.md").read_text(encoding="utf-8")
        md_cell = section(markdown, f'<a id="{anchor(cell)}"></a>', '<a id="')
        html_cell = section(html, f'<section class="cell-detail" id="{anchor(cell)}"', "</section>")
        for probe_id, probe in cell["probes"].items():
            parts = probe["answer_parts"]
            request = probe["request"]
            # An SDK may send nothing, or a request no evidence answers: then no answer is shown.
            answered = probe_id in cell["observed"] and request is not None and request.get("answered") is not False
            if cell["evidence"] != "reconstructed" or not answered:
                assert parts is None, (cell["quirk"], cell["target"], probe_id)
                continue
            declared = [d for d in declared_parts(cell, probe_id, request) if d.to_json() == parts]
            assert declared, (cell["quirk"], cell["target"], probe_id, parts)
            assert "body" in parts["quoted"]
            line = f"Answer parts: {declared[0].describe()}."
            assert line in md_cell, (cell["quirk"], cell["target"], probe_id)
            assert escape(line) in html_cell, (cell["quirk"], cell["target"], probe_id)
            checked += 1
        if cell["evidence"] != "reconstructed":
            assert "Answer parts:" not in md_cell and "Answer parts:" not in html_cell, anchor(cell)
    assert checked >= MIN_RECONSTRUCTED_ANSWERS


def test_a_filled_in_reason_and_header_are_named(report_dir):
    """At least one committed answer quotes only status and body: its detail names what the suite added."""
    markdown = "".join(path.read_text(encoding="utf-8") for path in (report_dir / "quirks").glob("*.md"))
    assert "Answer parts: quoted: status, body · filled by the suite: reason phrase, content-type header." in markdown
