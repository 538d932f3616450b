"""Exports of an edition to the formats people and other tools use."""
