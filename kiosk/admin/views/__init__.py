"""The admin pages, one module per domain; each adds its routes to kiosk.admin.blueprint.bp."""
