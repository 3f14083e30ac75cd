"""One module per command; see argmap.cli for the protocol (ORDER, register)."""
