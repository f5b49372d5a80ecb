"""Each item's data and constants, shared by its stub, its reference, its grader and its `ptgrade run` driver;
imports torch and nothing of ptgrade but i18n.

One module per item that has them, named like the item's exercise (`ptgrade/items/<module name>.py`): the data a
project's code is trained and graded on (the kit draws or writes it, nothing is downloaded) and the constants its
stub names. The drivers in ptgrade/runs/ only train.
"""
