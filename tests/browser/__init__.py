"""Browser journeys in real Chromium (Playwright), with axe-core on every page they visit."""
