"""`make bench`: the load driver, the server handling and the measurement of DESIGN.md's budgets.

Tooling, kept outside the apps: run.py prepares the environment, measure.py measures in it,
load.py drives the load and does the arithmetic, server.py starts gunicorn.
"""
