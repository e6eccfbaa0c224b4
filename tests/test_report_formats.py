"""The registry of report formats: what ``check --format`` offers and how it fails."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import ROOT

from campus_security.cli import main
from campus_security.pipeline import JsonReportSink, TextReportSink
from campus_security.reports import FORMATS, ReportOptions, report_format

EXAMPLES = ROOT / "examples"


def test_every_format_makes_its_sink_and_has_a_bilingual_title() -> None:
    for name, fmt in FORMATS.items():
        assert fmt.name == name
        assert "/" in fmt.title  # Chinese / English
        sink = fmt.make(ReportOptions())
        for method in ("start", "part", "finish", "abort"):
            assert callable(getattr(sink, method))
    assert isinstance(FORMATS["text"].make(ReportOptions()), TextReportSink)
    assert isinstance(FORMATS["json"].make(ReportOptions()), JsonReportSink)


def test_an_unknown_format_names_every_known_one() -> None:
    with pytest.raises(KeyError) as caught:
        report_format("pdf")
    message = str(caught.value)
    assert "pdf" in message and "未知" in message
    for name in FORMATS:
        assert name in message


def test_check_offers_exactly_the_registered_formats() -> None:
    result = CliRunner().invoke(main, ["check", str(EXAMPLES / "roster.json"), "--format", "pdf"])
    assert result.exit_code == 2
    for name in FORMATS:
        assert name in result.output


def test_check_writes_the_json_format_through_the_registry(tmp_path) -> None:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(EXAMPLES / "roster.json"),
            "--on",
            "2024-11-20",
            "--format",
            "json",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code in (0, 1), result.output
    assert json.loads(out.read_text("utf-8"))["format"] == "campus-security/report"
