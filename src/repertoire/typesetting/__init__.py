"""Typesetting tools the apps share: SVG charts, HTML to PDF, an edition read for print,
spreadsheet layout and the CSV dialect. No app of its own: publishing builds the edition's
documents with them, positioning its letters and reports, evaluation its sheets."""
