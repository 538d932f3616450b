"""Typesetting tools the apps share: SVG charts, HTML to PDF, an edition read for print,
spreadsheets (the one CSV and XLSX writer, which never writes a formula). No app of its
own: publishing builds the edition's documents with them, positioning its letters and
reports, evaluation its sheets."""
