"""coach: honest critique and a better version of professional outreach messages."""

__version__ = "0.1.0"
