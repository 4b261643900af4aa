"""The knowledge base (知识库): page schema, content checks, rendering, MkDocs hooks and CLI.

The site itself is built by MkDocs from docs/ (mkdocs.yml loads mkdocs_hooks.py, which
imports kiosk.kb.hooks); `flask --app kiosk kb …` checks, builds and scaffolds it, and
kiosk.views.kb serves the built site at /kb/.
"""
