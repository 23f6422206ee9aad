"""Parts of the access matrix (tests/test_access_matrix.py), one module per app.

Each module defines ``MATRIX``: URL name -> (a function of the test world that returns the path,
the expected GET status per role from tests.matrix_roles), and optionally ``SIGNED_LINKS``:
the names of its pages that a link's token opens (a family's entry, a confirmation link), which
must never be kept by a cache although anyone with the link may see them.
"""
