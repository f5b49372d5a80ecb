"""Instructors' tools, run in the `ptgrade` process: verify the graders, mutate references, grade a class."""
