"""Tenancy: the hub a request is about, the person's role in it, and who may use what.

``pages`` holds the decorators for hub pages and ``api`` the one for API operations; both
decide through the same membership and capability rules, so a page and its API operation can
never disagree about who may use them.
"""
