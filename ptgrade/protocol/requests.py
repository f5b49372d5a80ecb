"""The judge's requests to the worker, by name (ptgrade/judge/remote.py sends them, ptgrade/worker/main.py answers
each with one method). The zygote's requests are the fork server's (ptgrade/protocol/forkserver.py)."""


class Op:
    BEGIN = "begin"          # a check starts: seed the student's process
    GETATTR = "getattr"      # impl.name, handle.name
    SETATTR = "setattr"      # handle.name = value
    GETITEM = "getitem"      # handle[key]
    LEN = "len"              # len(handle)
    ITER = "iter"            # list(handle)
    CALL = "call"            # impl.f(*args), handle(*args)
    OBSERVE = "observe"      # an @observation of the item, run beside the student's code
    BACKWARD = "backward"    # the vector-Jacobian product through a call's graph
    LOAD = "load"            # a standby worker: import the file now
    EXIT = "exit"            # end the worker

