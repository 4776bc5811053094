"""The worksheet engine behind the Networking Workbook.

The package knows about worksheets, schemas, rubrics, submissions and results, and
nothing about networking: all course content lives in ``exercises/`` and ``schemas/``.
Data flows load -> check -> score -> report; see ``docs/guides/authoring.md``.
"""

__version__ = "0.2.0"
