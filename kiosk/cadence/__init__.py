"""The 双沟通 cadence: months and weeks in Beijing time, quotas, what counts, planning, reports.

`months` (calendar arithmetic), `quotas` (what a union must hold), `rules` (held,
required, status; pure), `tally` (the month's rows from the database), `cancel`,
`pattern` and `planner` (plan a month), `report`, `summary`, `charts`, `formats`
and `workbook` (the monthly report), `ical` and `feeds` (iCalendar), `cli`.
"""
