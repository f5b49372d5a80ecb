"""Per item, what the student's process observes: the only grader code the worker imports. Each module is
named like its item's exercise; the checks that judge these observations are graders/test_<name>.py."""
