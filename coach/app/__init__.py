"""The application layer: the only place a run happens (see :class:`coach.app.coach.Coach`)."""
