"""The knowledge base (知识库): page schema, content checks, rendering, staging, builds and CLI.

Before a site generator runs, `stage` copies the content folder and writes out every
generated part (stations, schedule, pocket guide, QR codes); MkDocs + Material (the
default, through mkdocs.yml's hook file for the search tweaks) or Zensical then builds
the staged folder (`build`). `flask --app kiosk kb …` checks, builds and scaffolds it;
kiosk.publishing publishes it, and kiosk.views.kb serves the published site at /kb/.
"""
