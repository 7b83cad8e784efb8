"""The committed notebook runs, and its text outputs are what it prints today."""

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))


def _texts(nb):
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        stream = None  # the name of the stream the last output was, if it was one
        for o in cell.get("outputs", []):
            if o.output_type == "stream" and o.name == stream:
                # A busy kernel may flush one print in several messages ("-", " Distances ..."): what
                # the reader sees is the text, so consecutive pieces of one stream are one output.
                out[-1] += o.text
            elif o.output_type == "stream":
                out.append(o.text)
            elif o.output_type == "error":
                out.append(f"ERROR {o.ename}: {o.evalue}")
            elif "text/plain" in o.get("data", {}) and "image/png" not in o["data"]:
                out.append(o["data"]["text/plain"])
            elif "image/png" in o.get("data", {}):
                out.append("<image>")
            stream = o.name if o.output_type == "stream" else None
    # Object addresses and kernel temp paths differ between runs.
    return [re.sub(r"0x[0-9a-f]+|/tmp/ipykernel_\d+/\d+", "*", t) for t in out]


def test_pieces_of_one_print_compare_as_one_output():
    import nbformat

    def notebook(*outputs):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("print('- a b')", outputs=list(outputs))]
        return nb

    whole = notebook(nbformat.v4.new_output("stream", name="stdout", text="- a b\n"))
    pieces = notebook(
        nbformat.v4.new_output("stream", name="stdout", text="-"),
        nbformat.v4.new_output("stream", name="stdout", text=" a b\n"),
    )
    other = notebook(nbformat.v4.new_output("stream", name="stdout", text="- a c\n"))
    mixed = notebook(
        nbformat.v4.new_output("stream", name="stdout", text="-"),
        nbformat.v4.new_output("stream", name="stderr", text=" a b\n"),
    )
    assert _texts(pieces) == _texts(whole)
    assert _texts(other) != _texts(whole)
    assert _texts(mixed) != _texts(whole)


@pytest.mark.slow
def test_notebook_executes_and_its_outputs_are_current():
    import nbformat
    from make_notebook import PATH, execute

    committed = nbformat.read(PATH, as_version=4)
    fresh = execute(nbformat.read(PATH, as_version=4))
    assert not any(o.output_type == "error" for c in fresh.cells if c.cell_type == "code" for o in c.outputs)
    assert _texts(fresh) == _texts(committed), "notebook outputs are stale: run `python tools/make_notebook.py`"
    assert _texts(committed).count("<image>") == 2  # the summary chart, walking vs straight
    # The map of parks and homes is a folium map (HTML), with its names and legend.
    html = [
        o["data"]["text/html"]
        for c in committed.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "text/html" in o.get("data", {})
    ]
    assert any("folium" in h and "虚线圆" in h and "南溪湿地公园" in h for h in html)
    # The notebook uses the geo API only: no reading of files other than through geo.store.
    code = "\n".join(c.source for c in committed.cells if c.cell_type == "code")
    assert "open(" not in code and "read_file" not in code and "../shared" not in code
