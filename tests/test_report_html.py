"""``check --format html``: the page is the report document, whole, self-contained, masked.

The browser tests open the page in headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by selenium) and keep a screenshot of each page under
``build/artifacts/`` (CI installs the browser: ``.ci/run``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import tempfile
from html import escape as html_escape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_ROSTER, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import rosters

from campus_security.cli import main
from campus_security.reports import FORMATS, ReportOptions
from campus_security.reports.html import TABLE_LIMIT, HtmlReportSink

ON = "2024-11-20"
ARTIFACTS = ROOT / "build" / "artifacts"
ID_NUMBER = "11010519491231002X"


def check(roster: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        main, ["check", str(roster), "--on", ON, "-o", str(out), *extra], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output


def page_data(page: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def table_findings(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    s = data["strings"]
    return [(s[r[0]], s[r[2]], s[r[3]]) for r in data["rows"]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo roster's HTML and JSON reports."""
    d = tmp_path_factory.mktemp("demo")
    check(EXAMPLE_ROSTER, d / "r.html", "--format", "html")
    check(EXAMPLE_ROSTER, d / "r.json", "--format", "json")
    return d / "r.html", d / "r.json"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated roster of 400 schools (a third with violations) and its HTML report."""
    d = tmp_path_factory.mktemp("generated")
    roster = d / "roster.jsonl"
    result = CliRunner().invoke(
        main,
        ["generate", "--schools", "400", "--seed", "7", "--violations", "0.35", "-o", str(roster)],
    )
    assert result.exit_code == 0, result.output
    check(roster, d / "r.html", "--format", "html", "--jobs", "1")
    return d / "r.html"


def test_html_is_a_registered_format_that_needs_a_file() -> None:
    fmt = FORMATS["html"]
    assert not fmt.terminal
    assert isinstance(fmt.make(ReportOptions()), HtmlReportSink)


def test_the_table_holds_exactly_the_failing_findings_of_the_report_document(demo) -> None:
    html, js = demo
    doc = json.loads(js.read_text("utf-8"))
    expected = [
        (f["school_id"], f["rule_id"], f["status"])
        for f in doc["findings"]
        if f["status"] in ("fail", "error")
    ]
    data = page_data(html.read_text("utf-8"))
    assert table_findings(data) == expected
    assert expected  # the demo roster has failures


def test_rates_counts_and_schools_come_from_the_report_document(demo) -> None:
    html, js = demo
    page, doc = html.read_text("utf-8"), json.loads(js.read_text("utf-8"))
    charted = 0
    for rate in doc["rates"]:
        assert rate["title"]["zh"] in page and rate["due"] in page
        for region in rate["regions"]:  # every city and county with schools, by name
            assert f"{region['name']} {region['region']}" in page
            charted += region["parent"] == rate["region"]
    assert charted > 0
    assert page.count('<svg class="chart"') == len({r["target_id"] for r in doc["rates"]}) + 1
    assert f'id="n-schools">{doc["totals"]["schools"]}<' in page
    assert f'id="n-failing">{doc["totals"]["failing_schools"]}<' in page
    for rule in doc["totals"]["by_rule"]:
        assert f"<code>{rule}</code>" in page
    most = max(doc["totals"]["failing_sample"], key=lambda s: s["failing"])
    first_row = page.split('id="top-schools"')[1].split("<tbody>")[1].split("</tr>")[0]
    assert most["school_id"] in first_row and str(most["failing"]) in first_row


def test_the_page_requests_nothing_and_runs_only_its_own_script(demo) -> None:
    page = demo[0].read_text("utf-8")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = csp.group(1)
    assert "default-src 'none'" in policy
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#|data:)""", page)
    assert "http://" not in page and "https://" not in page
    assert "@import" not in page and "url(" not in page


def test_id_numbers_are_masked_unless_asked(tmp_path: Path) -> None:
    roster = json.loads(EXAMPLE_ROSTER.read_text("utf-8"))
    for school in roster["schools"]:
        if school["id"] == "CA005":  # a school with failing findings
            school["name"] += f" {ID_NUMBER}"
    path = tmp_path / "roster.json"
    path.write_text(json.dumps(roster, ensure_ascii=False), "utf-8")
    check(path, tmp_path / "masked.html", "--format", "html")
    check(path, tmp_path / "shown.html", "--format", "html", "--show-personal-data")
    masked = (tmp_path / "masked.html").read_text("utf-8")
    shown = (tmp_path / "shown.html").read_text("utf-8")
    assert ID_NUMBER not in masked and "1101**********002X" in masked
    assert ID_NUMBER in shown
    # the guards' ID numbers are in the evidence, which the page does not show at all
    for school in roster["schools"]:
        for guard in school.get("guards", []):
            assert guard["id_number"] not in masked


def test_a_table_beyond_its_limit_keeps_the_first_findings_and_counts_the_rest(
    tmp_path: Path, demo
) -> None:
    from campus_security.pipeline import Setup, run
    from campus_security.pipeline.sources import open_source

    out = tmp_path / "r.html"
    sink = HtmlReportSink(out, table_limit=10)
    outcome = run(open_source(EXAMPLE_ROSTER), Setup(on=_date(ON)), sinks=[sink], jobs=1)
    page = out.read_text("utf-8")
    data = page_data(page)
    failing = sum(outcome.status_counts()[s] for s in _failing_statuses())
    assert failing > 10 and TABLE_LIMIT > 10
    assert table_findings(data) == table_findings(page_data(demo[0].read_text("utf-8")))[:10]
    assert f"另有 {failing - 10} 条未列出" in page and f"{failing - 10} more are left out" in page


def test_a_roster_with_problems_leaves_no_page(tmp_path: Path) -> None:
    roster = json.loads(EXAMPLE_ROSTER.read_text("utf-8"))
    roster["schools"][1]["region_code"] = "999999"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(roster, ensure_ascii=False), "utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["check", str(path), "--format", "html", "-o", str(out)])
    assert result.exit_code == 2
    assert not out.exists() and list(tmp_path.iterdir()) == [path]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster=rosters(max_schools=5), show=st.booleans())
def test_any_roster_page_is_its_report_document_and_masks_every_id_number(
    roster: Any, show: bool
) -> None:
    """Over rosters hypothesis builds: the page's table is the JSON report's failing
    findings, its failing schools are the report's, and no ID-shaped value is shown
    unmasked (names, messages) unless asked."""
    from campus_security.errors import mask_id_numbers
    from campus_security.pipeline import JsonReportSink, Setup, run
    from campus_security.pipeline.sources import RosterSource

    with tempfile.TemporaryDirectory() as tmp:
        out_json, out_html = Path(tmp) / "r.json", Path(tmp) / "r.html"
        run(
            RosterSource(roster),
            Setup(on=_date(ON), show_personal_data=show),
            sinks=[
                JsonReportSink(out_json, show_personal_data=show),
                HtmlReportSink(out_html, show_personal_data=show),
            ],
            jobs=1,
        )
        doc = json.loads(out_json.read_text("utf-8"))
        page = out_html.read_text("utf-8")
    failing = [f for f in doc["findings"] if f["status"] in ("fail", "error")]
    data = page_data(page)
    assert table_findings(data) == [(f["school_id"], f["rule_id"], f["status"]) for f in failing]
    assert f'id="n-failing">{doc["totals"]["failing_schools"]}<' in page
    for sample in doc["totals"]["failing_sample"]:
        assert f'data-school="{html_escape(sample["school_id"])}"' in page
    if not show:
        assert mask_id_numbers(page) == page
        for school in roster.schools:
            for guard in school.guards:
                assert guard.id_number.value not in page


def _date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def _failing_statuses():
    from campus_security.engine import Status

    return (Status.FAIL, Status.ERROR)


# --- in a real browser ----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None or CHROMEDRIVER is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium and chromium-driver (.ci/run installs them)")
        pytest.skip(
            "chromium or chromedriver is not installed (apt-get install chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


def open_page(driver, page: Path) -> None:
    driver.get(page.resolve().as_uri())
    driver.get_log("browser")  # nothing before this page


def assert_clean(driver) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    requests = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert requests == []


def assert_charts_drawn(driver) -> int:
    sizes = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.chart'), s => {"
        " const r = s.getBoundingClientRect();"
        " const bars = Array.from(s.querySelectorAll('rect'),"
        "   b => b.getBoundingClientRect().width);"
        " return [s.id, r.width, r.height, Math.max(0, ...bars)]; })"
    )
    assert sizes
    for chart_id, width, height, widest in sizes:
        assert width > 100 and height > 20 and widest > 0, chart_id
    return len(sizes)


def shown_count(driver) -> int:
    return int(driver.find_element("id", "count").get_attribute("data-count"))


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(int(height) + 120, 12000))
    path = ARTIFACTS / name
    assert driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1000)
    return path


def test_the_demo_page_in_chromium(browser, demo) -> None:
    from selenium.webdriver.support.ui import Select

    html = demo[0]
    failing = page_data(html.read_text("utf-8"))
    open_page(browser, html)
    assert_charts_drawn(browser)
    rows = browser.find_elements("css selector", "#rows tr")
    assert shown_count(browser) == len(failing["rows"]) and len(rows) == min(
        len(failing["rows"]), 100
    )
    assert "不合格" in browser.find_element("id", "rows").text  # Chinese rendered by the script
    screenshot(browser, "html-report-demo.png")
    # a rule narrows the table to that rule's failing findings
    rule = Select(browser.find_element("id", "f-rule"))
    chosen = rule.options[1].get_attribute("value")
    rule.select_by_value(chosen)
    expected = sum(1 for f in table_findings(failing) if f[1] == chosen)
    assert 0 < shown_count(browser) == expected < len(failing["rows"])
    assert len(browser.find_elements("css selector", "#rows tr")) == expected
    rule.select_by_value("")
    # the search box narrows by school, as the 'most failures' buttons do
    top = browser.find_element("css selector", "#top-schools button.school")
    school = top.text
    top.click()
    expected = sum(1 for f in table_findings(failing) if f[0] == school)
    assert browser.find_element("id", "q").get_attribute("value") == school
    assert 0 < shown_count(browser) == expected < len(failing["rows"])
    assert_clean(browser)


def test_a_generated_roster_page_in_chromium(browser, generated) -> None:
    data = page_data(generated.read_text("utf-8"))
    total = len(data["rows"])
    assert total > 100  # more than a page
    open_page(browser, generated)
    assert_charts_drawn(browser)
    assert len(browser.find_elements("css selector", "#rows tr")) == 100
    assert browser.find_element("id", "page").text.startswith("1 / ")
    browser.find_element("id", "next").click()
    assert browser.find_element("id", "page").text.startswith("2 / ")
    search = browser.find_element("id", "q")
    search.send_keys("巡查")  # the patrol rules' Chinese messages
    browser.implicitly_wait(0)
    import time

    deadline = time.monotonic() + 5
    while shown_count(browser) == total and time.monotonic() < deadline:
        time.sleep(0.05)
    s = data["strings"]
    expected = sum(
        1
        for r in data["rows"]
        if any("巡查" in s[r[i]] for i in (0, 2, 5, 6, 7, 8))
        or "巡查" in data["names"].get(str(r[0]), "")
    )
    assert 0 < shown_count(browser) == expected < total
    screenshot(browser, "html-report-generated.png")
    assert_clean(browser)


def _rate(region: str, value: float | None, regions: list[dict[str, Any]] | None = None):
    doc: dict[str, Any] = {
        "target_id": "t.rate",
        "standard_id": "t",
        "region": region,
        "title": {"zh": "达标率", "en": "rate"},
        "due": "2024-12-31",
        "threshold": 0.9,
        "met": 9,
        "not_met": 1,
        "value": value,
        "status": "met",
        "period": None,
    }
    if regions is not None:
        doc["regions"] = regions
    return doc


def _region(code: str, parent: str, value: float | None, name: str | None = None):
    return {
        "region": code,
        "name": name,
        "level": "city" if code.endswith("00") else "county",
        "parent": parent,
        "met": 1,
        "not_met": 0,
        "value": value,
        "status": "met",
    }


def test_a_chart_has_its_jurisdiction_then_the_regions_right_under_it() -> None:
    from campus_security.reports.html import _charts

    regions = [
        _region("320100", "320000", 0.5, "南京市"),
        _region("320102", "320100", 0.4, "玄武区"),
        _region("320200", "320000", 1.0, "无锡市"),
    ]
    (chart,) = _charts([_rate("320000", 0.8, regions)])
    assert [b.label for b in chart.bars] == ["江苏省 320000", "南京市 320100", "无锡市 320200"]
    assert [b.strong for b in chart.bars] == [True, False, False]
    assert [g["region"] for g in chart.below] == ["320102"]
    assert chart.below[0]["parent_label"] == "南京市 320100"
    assert chart.bars[1].width == chart.plot_width / 2 and chart.left_out == 0
    (plain,) = _charts([_rate("320000", 0.8)])  # a report without rates by region
    assert [b.label for b in plain.bars] == ["江苏省 320000"] and plain.below == ()


def test_a_chart_beyond_its_bars_keeps_the_jurisdiction_and_the_lowest_rates() -> None:
    from campus_security.reports.html import CHART_BARS, _charts

    cities = [f"32{n:02d}00" for n in range(1, CHART_BARS + 6)]
    regions = [_region(c, "320000", i / 100) for i, c in enumerate(reversed(cities))]
    (chart,) = _charts([_rate("320000", 0.8, regions)])
    assert len(chart.bars) == CHART_BARS and chart.left_out == len(cities) + 1 - CHART_BARS
    assert chart.bars[0].strong
    values = [b.value for b in chart.bars[1:]]
    assert values == sorted(values) and values[0] == 0.0
    assert max(values) < min(r["value"] for r in regions if r["value"] not in values)
    (exact,) = _charts([_rate("320000", 0.8, regions[: CHART_BARS - 1])])
    assert len(exact.bars) == CHART_BARS and exact.left_out == 0


def test_a_page_that_cannot_be_rendered_leaves_no_file(tmp_path: Path, monkeypatch) -> None:
    from campus_security.pipeline import Setup, run
    from campus_security.pipeline.sources import open_source

    def broken(self: Any, outcome: Any) -> str:
        raise RuntimeError("template broke")

    monkeypatch.setattr(HtmlReportSink, "render", broken)
    sink = HtmlReportSink(tmp_path / "r.html")  # held: its file is not closed by collection
    with pytest.raises(RuntimeError, match="template broke"):
        run(open_source(EXAMPLE_ROSTER), Setup(on=_date(ON)), sinks=[sink], jobs=1)
    assert list(tmp_path.iterdir()) == []  # neither the page nor its temporary file
    assert sink._out is not None and sink._out.file.closed
