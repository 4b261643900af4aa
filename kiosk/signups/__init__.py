"""Sign-ups: from what a person typed to one stored row.

- `validation`: clean and check a submitted sign-up, with messages in the reader's language.
- `refusal`: whether a sign-up may be stored now (tablet still bound, session open).
- `store`: the write path, one writer thread per process committing what is waiting.
- `attention`: sign-ups the server refused from a tablet's queue, for staff to resolve.
"""
