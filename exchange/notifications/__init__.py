"""Notifications: an in-app list for every user, and email for the kinds each user keeps switched on."""
