"""Helpers the kit's own tests share (not graders: graders/support/ is the checks' own)."""
