"""Other graders' formats: Gradescope, nbgrader and the notebooks it grades."""
