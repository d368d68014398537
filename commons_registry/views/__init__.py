"""Pages of the directory, one module per family: thin views that check permission, call a
service, render or redirect."""
