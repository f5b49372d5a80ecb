"""The `ptgrade` process: it starts judges (one per item and run) and reads their events; it never imports
student code or a grader."""
