"""The competition's pages, by who uses them: the public and families (``public``, ``family``),
adjudicators (``judging``) and the hub's staff (``manage``)."""
