"""What staff print for a session: the poster, the table tent and a month's schedule sheet.

`material` gathers what each sheet says (never more than the session and settings hold),
`html` renders it as a print-CSS page the browser previews, and `pdf` makes the PDF file:
with the server's Chromium from that same page when it is installed, otherwise drawn with
ReportLab (`drawn`) in its built-in Chinese font.
"""
