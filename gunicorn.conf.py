"""gunicorn reads this file from the directory it starts in (the repository's root).

Command-line options still win, e.g. the README's ``--bind``, ``--workers`` and ``--timeout``.
"""

from gunicorn.http import wsgi

# gunicorn names itself in a Server header on every response and has no setting to stop it;
# a visitor learns nothing from ours. Workers are forked after this file runs, so they inherit it.
wsgi.SERVER = "Tutti"
