"""Files in and out: reading and decoding files, the folder walker, loading maps, writing them, fmt, config.

Imports only :mod:`argmap.map`.
"""
