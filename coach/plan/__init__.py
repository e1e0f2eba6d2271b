"""``coach plan``: find the best route to a person before writing to them.

Everything here runs on the user's machine: the connections file is parsed,
matched and scored locally and never goes into a prompt (the plan uses no model).
The entry point is :func:`coach.plan.build.build_plan`.
"""
