"""Dashboard services: aggregates, report, exports, public results, overview.

- queries.py: one-event SQL aggregates shared by the dashboard and the report;
- dashboard.py / report.py: what each page shows, in a fixed number of queries;
- surveys.py: every survey's results and headlines;
- exports.py: sheets of registrants, inputs, priorities, survey responses, and
  the export log;
- publication.py: publishing the public results page as frozen versions, their
  figures, and the comparison with the live figures;
- overview.py: an organiser's events side by side;
- pdf.py: the report printed by WeasyPrint.
"""
