"""Parts of the access matrix (tests/test_access_matrix.py), one module per app.

Each module defines ``MATRIX``: URL name -> (a function of the test world that returns the path,
the expected GET status per role from tests.matrix_roles).
"""
