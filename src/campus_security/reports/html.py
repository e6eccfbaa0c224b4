"""``check --format html``: one self-contained page for a bureau director.

The page holds everything it shows (styles, one small script, the charts, the data):
it makes no request to any other host, and says so to the browser with a
Content-Security-Policy of ``default-src 'none'`` that lets only its own inline style
and its one script (by hash) run. It works offline on an intranet and as an e-mail
attachment. Sections: the headline rates against their targets with due dates
(pending / met / not met), a chart per target by region, the findings by standard and
by rule, the schools with most failures, and every failing finding (``fail`` and
``error``) with its citation and both languages in a table one can search and filter
(standard, rule, status, severity) a page at a time.

**Charts are drawn here, as SVG, by the Jinja2 template** (no chart library in the
browser). Of the choices (ECharts via pyecharts with its script inlined, Vega-Lite,
server-side SVG), server-side SVG is the one that keeps the file light and the page
whole: ECharts inlined adds about 1 MB of script to every report and Vega-Lite with
Vega about 800 kB, against a few kB for the bar charts a rate needs; an SVG chart is
there when the page opens, with scripts blocked by a mail client or an intranet
policy, in print and in a screenshot; its labels are text in the page's fonts (the
reader's Chinese fonts: no font is embedded, so none is fetched either); and it needs
no second library to keep up to date besides Jinja2, which renders the page.

**The sink renders the report document**, never a second evaluation: each part's
finding documents (:attr:`~campus_security.pipeline.PartResult.findings`, the JSON
objects of ``docs/report-format.md``, ID numbers already masked unless
``--show-personal-data``) give the table and the failures per school; at the end the
:class:`~campus_security.pipeline.Outcome` gives the rates
(:func:`~campus_security.report_json.rate_document`) and the counts
(:func:`~campus_security.report_json.summary_document`).

**Limits** (to keep a big roster's report light enough to e-mail): the table holds at
most :data:`TABLE_LIMIT` failing findings, the first in roster order; the rest are
counted (the counts by standard and rule and the schools with most failures are always
whole) and the page says how many were left out, pointing to the JSON, XLSX or CSV
report for all of them. A chart shows at most :data:`CHART_BARS` regions (the lowest
rates). The table shows :data:`PAGE_ROWS` rows a page.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import jinja2
import orjson
from markupsafe import Markup

from .. import __version__
from ..engine import Standard, Status
from ..errors import mask_id_numbers
from ..model import RegionCode
from ..pipeline.run import Outcome
from ..pipeline.sinks import Output
from ..pipeline.stream import PartResult
from ..report_json import failure_document, rate_documents, summary_document

__all__ = [
    "CHART_BARS",
    "PAGE_ROWS",
    "TABLE_LIMIT",
    "TOP_SCHOOLS",
    "HtmlReportSink",
    "render_html",
]

TABLE_LIMIT = 20_000
"""The most failing findings the table holds (the first in roster order)."""
CHART_BARS = 40
"""The most regions a chart shows (those with the lowest rates)."""
PAGE_ROWS = 100
"""Rows of the findings table a page."""
TOP_SCHOOLS = 20
"""Schools listed under 'schools with most failures'."""

FAILING = (Status.FAIL.value, Status.ERROR.value)
_MARKS = (b'"status":"fail"', b'"status":"error"')

STATUS_LABELS = {
    "pass": "合格 / pass",
    "fail": "不合格 / fail",
    "not_applicable": "不适用 / not applicable",
    "waived": "已豁免 / waived",
    "error": "出错 / error",
}
RATE_LABELS = {
    "met": "达标 / met",
    "not_met": "未达标 / not met",
    "pending": "未到期 / pending",
    "no_schools": "无学校 / no schools",
}
SEVERITY_LABELS = {
    "critical": "重大 / critical",
    "major": "较大 / major",
    "minor": "一般 / minor",
}
SEVERITY_FAILING = {
    "critical": "重大问题 / critical failures",
    "major": "较大问题 / major failures",
    "minor": "一般问题 / minor failures",
}

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("campus_security.reports", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


_env.filters["percent"] = _percent


def _region_label(code: str) -> str:
    try:
        name = RegionCode(code).name
    except Exception:  # a code the table does not know: shown as given
        return code
    return f"{name} {code}" if name != code else code


def _period_label(period: Mapping[str, str] | None) -> str:
    return "" if period is None else f"{period['start']}–{period['end']}"


@attrs.define
class _School:
    name: str
    order: int
    failing: int = 0
    errors: int = 0


@attrs.frozen
class Bar:
    """One bar of a rate chart (geometry in SVG user units)."""

    label: str
    value: float | None
    status: str
    counted: int
    met: int
    y: int
    width: float
    strong: bool = False
    """A jurisdiction's own rate (the rows under it are its regions)."""


@attrs.frozen
class Chart:
    """The chart of one target: a bar per region (and period), the threshold as a line."""

    id: str
    title: Mapping[str, str]
    threshold: float
    due: str
    bars: tuple[Bar, ...]
    left_out: int
    width: int
    height: int
    plot_x: int
    plot_width: int
    threshold_x: float
    below: tuple[Mapping[str, Any], ...] = ()
    """The regions under the charted ones (counties under cities), lowest rates first."""


CHART_WIDTH, LABEL_WIDTH, BAR_HEIGHT, BAR_GAP, TOP, BOTTOM = 720, 230, 20, 8, 26, 22


def _current(rates: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rates as of the date, or in a window those of the last period rated."""
    if any(r["period"] is None for r in rates):
        return [r for r in rates if r["period"] is None]
    last = max((r["period"]["start"] for r in rates), default=None)
    return [r for r in rates if r["period"]["start"] == last]


def _bar(label: str, row: Mapping[str, Any], i: int, plot_width: int) -> Bar:
    value = row["value"]
    return Bar(
        label,
        value,
        row["status"],
        row["met"] + row["not_met"],
        row["met"],
        TOP + i * (BAR_HEIGHT + BAR_GAP),
        round((value or 0.0) * plot_width, 1),
        "parent" not in row,
    )


def _region_name(row: Mapping[str, Any]) -> str:
    name = row.get("name")
    return f"{name} {row['region']}" if name else _region_label(row["region"])


def _charts(rates: Sequence[dict[str, Any]]) -> list[Chart]:
    """A chart per target: its jurisdiction's rate, then each region right under it.

    With the report's rates by region (``regions`` of a rate document), the bars are
    the jurisdiction and the cities (or, for a city's standard, the counties) under it,
    at most :data:`CHART_BARS` (the lowest rates); the counties under those cities are
    listed with the chart. A window charts the last period rated.
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in _current(rates):
        groups.setdefault((r["standard_id"], r["target_id"]), []).append(r)
    plot_width = CHART_WIDTH - LABEL_WIDTH - 70
    charts = []
    for n, ((_std, target), group) in enumerate(groups.items()):
        rows: list[tuple[str, dict[str, Any]]] = []
        below: list[dict[str, Any]] = []
        for r in group:
            label = _region_label(r["region"])
            if r["period"] is not None:
                label = f"{label} {_period_label(r['period'])}"
            rows.append((label, r))
            regions = r.get("regions") or ()
            children = [g for g in regions if g["parent"] == r["region"]]
            shown = {g["region"] for g in children}
            rows.extend((_region_name(g), g) for g in children)
            below.extend(
                {**g, "label": _region_name(g), "parent_label": _parent(regions, g["parent"])}
                for g in regions
                if g["region"] not in shown
            )
        kept = rows
        if len(rows) > CHART_BARS:  # the first (the jurisdiction), then the lowest rates
            rest = sorted(rows[1:], key=lambda lr: (lr[1]["value"] is None, lr[1]["value"] or 0))
            kept = [rows[0], *rest[: CHART_BARS - 1]]
        bars = [_bar(label, row, i, plot_width) for i, (label, row) in enumerate(kept)]
        below.sort(key=lambda g: (g["value"] is None, g["value"] or 0.0, g["region"]))
        first = group[0]
        charts.append(
            Chart(
                f"chart-{n}",
                {**first["title"], "target": target},
                first["threshold"],
                first["due"],
                tuple(bars),
                len(rows) - len(kept),
                CHART_WIDTH,
                TOP + len(bars) * (BAR_HEIGHT + BAR_GAP) + BOTTOM,
                LABEL_WIDTH,
                plot_width,
                LABEL_WIDTH + round(first["threshold"] * plot_width, 1),
                tuple(below),
            )
        )
    return charts


def _parent(regions: Sequence[Mapping[str, Any]], code: str | None) -> str:
    for g in regions:
        if g["region"] == code:
            return _region_name(g)
    return "" if code is None else _region_label(code)


def _headline(
    rates: Sequence[dict[str, Any]], standards: Sequence[Standard]
) -> list[dict[str, Any]]:
    """The rates of each standard's whole jurisdiction (a window: the last period rated)."""
    jurisdictions = {s.id: {c.value for c in s.jurisdiction} for s in standards}
    last: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rates:
        if r["region"] in jurisdictions.get(r["standard_id"], {r["region"]}):
            last[(r["standard_id"], r["target_id"], r["region"])] = r
    return [{**r, "region_label": _region_label(r["region"])} for r in last.values()]


class _Strings:
    """A table of the strings the findings repeat (citations, messages, names)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def __call__(self, value: str) -> int:
        i = self.index.get(value)
        if i is None:
            i = self.index[value] = len(self.values)
            self.values.append(value)
        return i


def _script_json(data: Any) -> Markup:
    """``data`` as JSON safe inside a ``<script>`` element."""
    text = orjson.dumps(data).decode("utf-8")
    for a, b in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(a, b)
    return Markup(text)  # escaped above: no tag can close the element


def _hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


class HtmlReportSink:
    """Writes the HTML report: findings kept as they stream in, the page rendered at the end.

    Only failing findings (``fail``, ``error``) are kept, at most :data:`TABLE_LIMIT`, and
    each failing school's name and counts: memory is bounded by the failures, not by
    the roster.
    """

    wants_findings = True
    wants_names = True

    def __init__(
        self,
        output: Path | None,
        *,
        show_personal_data: bool = False,
        plugin_failures: Iterable[Any] = (),
        versions: Mapping[str, Any] | None = None,
        rosters: Sequence[str] = (),
        table_limit: int = TABLE_LIMIT,
    ) -> None:
        self.output = output
        self.show_personal_data = show_personal_data
        self.plugin_failures = plugin_failures
        self.versions = dict(versions or {})
        self.rosters = tuple(rosters)
        self.table_limit = table_limit
        self._out: Output | None = None
        self._rows: list[dict[str, Any]] = []
        self._left_out = 0
        self._schools: dict[str, _School] = {}
        self._order = 0

    def start(
        self, on: dt.date, standards: Sequence[Standard], since: dt.date | None = None
    ) -> None:
        """Open the output."""
        self._out = Output(self.output)

    def _shown(self, text: str) -> str:
        return text if self.show_personal_data else mask_id_numbers(text)

    def part(self, result: PartResult) -> None:
        """Keep the part's failing findings and each failing school's name and counts."""
        names = {self._shown(sid): self._shown(name) for sid, name in result.names or ()}
        for data in (result.findings or b"").split(b",\n"):
            # orjson writes no newline inside an object: the separator splits them exactly;
            # only objects that may be failing are parsed (the status is checked after)
            if not any(mark in data for mark in _MARKS):
                continue
            doc = orjson.loads(data)
            if doc["status"] not in FAILING:
                continue
            sid = doc["school_id"]
            school = self._schools.get(sid)
            if school is None:
                school = self._schools[sid] = _School(names.get(sid, ""), self._order)
                self._order += 1
            if doc["status"] == Status.FAIL.value:
                school.failing += 1
            else:
                school.errors += 1
            if len(self._rows) < self.table_limit:
                self._rows.append(doc)
            else:
                self._left_out += 1

    def finish(self, outcome: Outcome) -> None:
        """Render the page and publish it."""
        assert self._out is not None
        try:
            page = self.render(outcome).encode("utf-8")
        except BaseException:
            self._out.discard()  # no half-made page, no file left open
            raise
        self._out.file.write(page)
        self._out.commit()

    def abort(self) -> None:
        """Leave no report."""
        if self._out is not None:
            self._out.discard()

    def render(self, outcome: Outcome) -> str:
        """The page for ``outcome`` and the findings kept so far."""
        return render_html(
            outcome,
            self._rows,
            {sid: (s.name, s.failing, s.errors, s.order) for sid, s in self._schools.items()},
            left_out=self._left_out,
            show_personal_data=self.show_personal_data,
            plugin_failures=self.plugin_failures,
            versions=self.versions,
            rosters=self.rosters,
        )


def _rule_catalogue(standards: Sequence[Standard]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for s in standards:
        for rule in s.rules:
            severity = getattr(rule, "severity", None)
            out[rule.id] = {
                "title": {"zh": rule.title.zh, "en": rule.title.en},
                "citation": f"{rule.citation.document} {rule.citation.clause}",
                "severity": getattr(severity, "value", severity),
            }
    return out


def render_html(
    outcome: Outcome,
    findings: Sequence[Mapping[str, Any]],
    schools: Mapping[str, tuple[str, int, int, int]],
    *,
    left_out: int = 0,
    show_personal_data: bool = False,
    plugin_failures: Iterable[Any] = (),
    versions: Mapping[str, Any] | None = None,
    rosters: Sequence[str] = (),
) -> str:
    """The HTML report of a run.

    ``findings`` are failing finding documents (as the report holds them), in roster
    order; ``schools`` maps each failing school's id (as the findings show it) to its
    name, failing and error counts and roster order; ``left_out`` counts the failing
    findings not in ``findings``.
    """
    show = show_personal_data
    totals = summary_document(outcome.summary, show_personal_data=show)
    rates = rate_documents(outcome.rates, outcome.regional_rates)
    catalogue = _rule_catalogue(outcome.standards)
    counts = outcome.status_counts()
    strings = _Strings()
    school_keys = {sid: strings(sid) for sid in schools}
    rows = []
    for d in findings:
        severity = d.get("severity") or catalogue.get(d["rule_id"], {}).get("severity")
        rows.append(
            [
                school_keys.get(d["school_id"], strings(d["school_id"])),
                strings(d["standard_id"]),
                strings(d["rule_id"]),
                strings(d["status"]),
                strings(severity or ""),
                strings(f"{d['citation']['document']} {d['citation']['clause']}"),
                strings(d["message"]["zh"]),
                strings(d["message"]["en"]),
                strings(_period_label(d.get("period"))),
            ]
        )
    data = {
        "strings": strings.values,
        "rows": rows,
        "names": {str(school_keys[sid]): v[0] for sid, v in schools.items()},
        "page": PAGE_ROWS,
    }
    top = sorted(schools.items(), key=lambda kv: (-(kv[1][1] + kv[1][2]), kv[1][3]))[:TOP_SCHOOLS]
    rules = []
    for rule_id, by_status in totals["by_rule"].items():
        info = catalogue.get(rule_id, {})
        rules.append(
            {
                "id": rule_id,
                "standard": outcome.summary.standard_of.get(rule_id, ""),
                "title": info.get("title"),
                "citation": info.get("citation", ""),
                "severity": info.get("severity"),
                "counts": by_status,
            }
        )
    rules.sort(key=lambda r: (-r["counts"]["fail"] - r["counts"]["error"], r["id"]))
    by_severity: dict[str, int] = {}
    for r in rules:  # every failing finding, the table's limit notwithstanding
        if r["severity"]:
            n = r["counts"]["fail"] + r["counts"]["error"]
            by_severity[r["severity"]] = by_severity.get(r["severity"], 0) + n
    severities = sorted(
        {row[4] for row in rows if strings.values[row[4]]},
        key=lambda i: _severity_rank(strings.values[i]),
    )
    script = _env.get_template("report.js").render()
    context = {
        "generated": f"campus-security {__version__}",
        "on": outcome.on.isoformat(),
        "since": outcome.since.isoformat() if outcome.since else None,
        "standards": [
            {
                "id": s.id,
                "title": {"zh": s.title.zh, "en": s.title.en},
                "document": s.document,
                "jurisdiction": ", ".join(_region_label(c.value) for c in s.jurisdiction),
            }
            for s in outcome.standards
        ],
        "summary": {s.value: counts[s] for s in Status},
        "totals": totals,
        "headline": _headline(rates, outcome.standards),
        "charts": _charts(rates),
        "standard_counts": _standard_bars(totals["by_standard"]),
        "rules": rules,
        "top_schools": [
            {"id": sid, "name": v[0], "failing": v[1], "errors": v[2]} for sid, v in top
        ],
        "table_size": len(rows),
        "left_out": left_out,
        "standard_ids": sorted({strings.values[r[1]] for r in rows}),
        "rule_ids": sorted({strings.values[r[2]] for r in rows}),
        "severities": [strings.values[i] for i in severities],
        "failing_by_severity": sorted(by_severity.items(), key=lambda kv: _severity_rank(kv[0])),
        "status_labels": STATUS_LABELS,
        "rate_labels": RATE_LABELS,
        "severity_labels": SEVERITY_LABELS,
        "severity_failing": SEVERITY_FAILING,
        "plugin_failures": [failure_document(f) for f in plugin_failures],
        "versions": _versions(versions or {}),
        "rosters": list(rosters),
        "show_personal_data": show,
        "data": _script_json(data),
        "script": Markup(script),  # the package's own script
        "script_hash": _hash(script),
        "page_rows": PAGE_ROWS,
    }
    return _env.get_template("report.html.j2").render(context)


def _severity_rank(value: str) -> int:
    order = list(SEVERITY_LABELS)
    return order.index(value) if value in order else len(order)


def _versions(versions: Mapping[str, Any]) -> list[str]:
    out = []
    for name, v in sorted(versions.items()):
        dist = getattr(v, "distribution", None)
        version = getattr(v, "version", None)
        out.append(f"{name} ({dist} {version})" if dist else name)
    return out


@attrs.frozen
class Segment:
    """One status's share of a standard's stacked bar."""

    status: str
    count: int
    x: float
    width: float


def _standard_bars(by_standard: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """The stacked bars of findings per status for each standard (SVG geometry)."""
    plot_x, plot_width = 120, CHART_WIDTH - 120 - 70
    most = max((sum(c.values()) for c in by_standard.values()), default=0) or 1
    bars = []
    for i, (std, c) in enumerate(by_standard.items()):
        x = float(plot_x)
        segments = []
        for status in STATUS_LABELS:
            n = c.get(status, 0)
            w = round(n / most * plot_width, 1)
            if n:
                segments.append(Segment(status, n, x, w))
            x += w
        bars.append(
            {
                "standard": std,
                "y": TOP + i * (BAR_HEIGHT + BAR_GAP),
                "segments": segments,
                "total": sum(c.values()),
                "end": x,
            }
        )
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": TOP + len(bars) * (BAR_HEIGHT + BAR_GAP) + BOTTOM,
        "plot_x": plot_x,
    }
