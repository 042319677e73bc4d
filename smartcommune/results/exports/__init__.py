"""Exports a department would sign: Excel workbooks, PDF scorecard and province report,
and the open data (CSV in the exchange format, JSON in the evaluation shape)."""
