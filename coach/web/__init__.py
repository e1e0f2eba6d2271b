"""``coach serve``: a local web page over the same :class:`coach.app.coach.Coach` as the CLI.

:mod:`coach.web.api` turns JSON requests into the CLI's JSON answers; :mod:`coach.web.server`
is the standard library's HTTP server with the page's guards; ``static/`` holds the page
(plain HTML, CSS and JavaScript, no build step, nothing loaded from elsewhere).
"""
