"""The composition root, last in the app chain: the pages and jobs that gather every app (home,
/me/, /people/, /search/, "waiting for you", the announcement, seed_demo)."""
