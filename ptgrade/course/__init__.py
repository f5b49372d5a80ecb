"""The curriculum and a student's place in it: the manifest, progress, stubs, the student edition."""
