"""Who joined: a member list from the union's system (Excel or CSV) marks people 已入会.

`reading` (a file to a table, or a clear Chinese refusal), `uploads` (the table
kept between the steps), `matching` (the dry-run preview), `applying` (the change).
"""
