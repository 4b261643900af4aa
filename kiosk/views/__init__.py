"""One blueprint per audience: kiosk screen, public sign-up, knowledge base, JSON API."""
