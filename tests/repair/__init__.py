"""Shared references for the repair tests of both engines: textbook queueing results."""
