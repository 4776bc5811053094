"""Reporters: pure functions from results to text. The CLI decides where it goes."""

from workbook.reporters import json_report, text

FORMATS = {"text": text, "json": json_report}

__all__ = ["FORMATS", "json_report", "text"]
