"""The CPD networks' pages, one module per topic: the public pages and joining, the members'
space, network days, supply-cover claims, CPD records and certificates, peer visits, surveys
and the hub staff's pages."""
