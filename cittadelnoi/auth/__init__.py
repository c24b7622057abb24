"""Accounts and logins of the Gestione page."""
