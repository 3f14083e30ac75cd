"""The map itself: model, schema, graph queries, the source and its quotes, diagnostics, errors.

The bottom layer: it imports nothing else of argmap.
"""
