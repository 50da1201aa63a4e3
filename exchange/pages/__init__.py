"""Screens that gather several domains (a need's page, an organisation's, the dashboard): composed here, above
the domains, so that no domain imports another's features to draw one page."""
