"""Paper: printable sheets with reference codes, their keyboard entry and CSV import."""
