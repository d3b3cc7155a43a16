"""The HTML report as a browser renders it: real headless Chromium lays the page out.

A copy of the report gets a measuring script appended (the report itself has none); Chromium loads it,
the script writes what it measured into the DOM, and `--dump-dom` hands that back: the bar widths
must be proportional to the counts, the page must not overflow its window, and every case section must
be there. A screenshot is taken too and checked to be a real, non-blank picture of the window size.

Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`), skipped when it is absent; the print
test also needs poppler-utils and a CJK font (fonts-noto-cjk), and is skipped without them (.ci/run
installs all three).
"""
from __future__ import annotations

import json
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cadre_rules.cli.main import main
from test_report_formats import make_corpus

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install -y chromium)")

WIDTH, HEIGHT = 1280, 900

MEASURE = """
<script>
(function () {
  var out = {charts: {}, cases: document.querySelectorAll('details.case').length,
             scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
             stylesheets: document.styleSheets.length,
             resources: performance.getEntriesByType('resource').map(function (r) { return r.name; })};
  document.querySelectorAll('table.chart').forEach(function (table) {
    var rows = {};
    table.querySelectorAll('tr[data-key]').forEach(function (tr) {
      var track = tr.querySelector('.track').getBoundingClientRect().width;
      var bars = {};
      tr.querySelectorAll('.bar').forEach(function (bar) {
        bars[bar.dataset.series] = {value: +bar.dataset.value, width: bar.getBoundingClientRect().width,
                                    color: getComputedStyle(bar).backgroundColor};
      });
      rows[tr.dataset.key] = {track: track, bars: bars};
    });
    out.charts[table.id] = rows;
  });
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory, _baseline_data) -> Path:
    import copy

    tmp = tmp_path_factory.mktemp("html")
    corpus = make_corpus(tmp, copy.deepcopy(_baseline_data))
    out = tmp / "report.html"
    result = CliRunner().invoke(main, ["audit", str(corpus), "--format", "html", "--as-of", "2024-06-30",
                                       "-o", str(out)])
    assert result.exit_code == 2, result.output  # the corpus has invalid inputs
    return out


def test_chromium_lays_out_the_charts_and_cases(report, tmp_path):
    page = tmp_path / "measured.html"
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found, "the page did not run to the end in Chromium"
    import html

    m = json.loads(html.unescape(found.group(1)))
    assert m["cases"] == 5
    assert m["resources"] == []  # nothing fetched: the page is self-contained
    assert m["stylesheets"] == 1
    assert m["scrollWidth"] <= m["innerWidth"], "the page overflows the window horizontally"
    # Cases by year: 2021 has 2 cases, 2023 has 1 — the 2023 bar is half the 2021 bar.
    years = m["charts"]["chart-year-cases"]
    full, half = years["2021"]["bars"]["cases"]["width"], years["2023"]["bars"]["cases"]["width"]
    assert full == pytest.approx(years["2021"]["track"], abs=1.0)
    assert half == pytest.approx(full / 2, abs=1.0) and half > 50
    # One violated rule: its bar fills the track, in the violation colour.
    (rule,) = m["charts"]["chart-rule"].values()
    assert rule["bars"]["violated"]["width"] == pytest.approx(rule["track"], abs=1.0)
    assert rule["bars"]["violated"]["color"] == "rgb(207, 34, 46)"
    stage = next(v for k, v in m["charts"]["chart-stage"].items() if k == "决定")
    assert stage["bars"]["violated"]["value"] == 1
    orgs = m["charts"]["chart-organisation-cases"]
    assert orgs["江州市生态环境局"]["bars"]["cases"]["width"] > 0


def test_chromium_screenshot_is_a_real_picture(report, tmp_path):
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, f"--screenshot={shot}", report.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (WIDTH, HEIGHT)
    # Not blank: the decompressed scanlines of a one-colour page hold a handful of distinct bytes.
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    assert len(set(zlib.decompress(idat))) > 64


CELLS = """
<script>
(function () {
  var narrow = [];
  document.querySelectorAll('table.findings td, table.findings th').forEach(function (cell) {
    var em = parseFloat(getComputedStyle(cell).fontSize);
    var width = cell.getBoundingClientRect().width;
    if (width < 3 * em) { narrow.push([cell.className, Math.round(width), Math.round(em)]); }
  });
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify({narrow: narrow, cells: document.querySelectorAll('table.findings td').length,
                                    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
                                    letterhead: document.querySelector('header.letterhead').innerText});
  document.body.appendChild(pre);
})();
</script>
"""


@pytest.fixture(scope="module")
def lettered(tmp_path_factory) -> Path:
    """The examples' report with a department's letterhead (issue 15, item 4)."""
    tmp = tmp_path_factory.mktemp("letterhead")
    head = tmp / "letterhead.html"
    head.write_text('<div class="org">中共示例市委组织部</div><div>示组审〔2026〕12号</div>', encoding="utf-8")
    out = tmp / "report.html"
    cases = Path(__file__).resolve().parents[2] / "examples" / "cases"
    result = CliRunner().invoke(main, ["audit", str(cases), "--format", "html", "--as-of", "2024-06-30",
                                       "--letterhead", str(head), "-o", str(out)])
    assert result.exit_code == 1, result.output
    return out


@pytest.mark.parametrize("width", [1280, 700])
def test_no_findings_column_is_squeezed_and_the_page_never_overflows(lettered, tmp_path, width):
    page = tmp_path / "measured.html"
    page.write_text(lettered.read_text(encoding="utf-8").replace("</body>", CELLS + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},{HEIGHT}", "--hide-scrollbars",
         "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    import html

    m = json.loads(html.unescape(found.group(1)))
    assert m["cells"] > 500  # every finding of the examples is laid out
    assert m["narrow"] == [], ("columns squeezed to a few characters", sorted({(c, w) for c, w, _ in m["narrow"]}))
    assert m["scrollWidth"] <= m["innerWidth"]  # a wide table scrolls in its own box, the page does not
    assert "中共示例市委组织部" in m["letterhead"]


def test_print_layout_is_a4_with_every_case_in_full(lettered, tmp_path):
    import shutil

    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("needs poppler-utils (pdfinfo, pdftotext)")
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if not fonts.strip():  # the Chinese text is printed without glyphs and cannot be read back
        pytest.skip("needs a CJK font (Debian: fonts-noto-cjk)")
    pdf = tmp_path / "report.pdf"
    done = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", lettered.as_uri())
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info and int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 5
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "示组审〔2026〕12号" in text  # the letterhead is printed
    # A compliant case is closed on screen; on paper its details are there too.
    compliant = text[text.index("2021-qx-czj-001"):][:400]
    assert "中共清溪县委" in compliant
