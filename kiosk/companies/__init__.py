"""Companies (企业) and their files (一企一档): credit codes, records, lists, import, export."""
