"""Scorers: golden articles, NER (conlleval), event GSRs."""
