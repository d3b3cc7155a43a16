"""The HTML report as a browser renders it: real headless Chromium lays the page out.

A copy of the report gets a measuring script appended (the report itself has none); Chromium loads it,
the script writes what it measured into the DOM, and `--dump-dom` hands that back: the bar widths
must be proportional to the counts, the page must not overflow its window, and every case section must
be there. A screenshot is taken too and checked to be a real, non-blank picture of the window size.

Needs /usr/bin/chromium (Debian: `apt-get install -y chromium`); skipped only when it is absent.
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
