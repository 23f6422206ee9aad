"""The participation pages, by topic: impact, records, exports, collections, returns."""
