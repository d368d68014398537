"""Pages of the decisions app, one module per family: the log and opening a discussion, a
decision's page, and the forms that act on it.

Every view checks its permission through decisions/permissions.py and acts through
decisions/services.py; a refused action comes back as a message a person can read.
"""
