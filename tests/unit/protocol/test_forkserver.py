"""The one fork server (the zygote's and the warm judges'): fork, poll, end, and a server that stops answering."""
import os
import signal
import socket
import subprocess
import sys

import pytest

from ptgrade.protocol import forkserver

# A server whose children write "child <word>" on the descriptor passed with the request, then wait or exit.
SERVER = """
import os, socket, sys, time
from ptgrade.protocol import forkserver
def fork(request, fds):
    os.write(fds[0], ("child " + request["word"]).encode())
    if request.get("wait"):
        time.sleep(60)
    os._exit(request.get("code", 0))
forkserver.serve(socket.socket(fileno=int(sys.argv[1])), fork, accepts=lambda request, fds: len(fds) == 1)
"""


@pytest.fixture
def server():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(theirs.fileno())], pass_fds=(theirs.fileno(),))
    theirs.close()
    client = forkserver.Client(ours, boot_seconds=60, answer_seconds=10)
    yield client, process
    client.close()
    process.kill()
    process.wait()


def _fork(client, **request):
    read, write = os.pipe()
    try:
        pid = client.request({"op": forkserver.FORK, **request}, [write])["pid"]
    finally:
        os.close(write)
    with os.fdopen(read, "rb") as output:
        return pid, output.read(64)


def test_a_child_gets_the_request_and_its_descriptors_and_its_status_is_reported(server):
    client, _process = server
    pid, said = _fork(client, word="one", code=3)
    assert said == b"child one"
    assert client.request({"op": forkserver.END, "pid": pid}) == {"status": 3}


def test_poll_says_running_and_end_kills(server):
    client, _process = server
    read, write = os.pipe()
    pid = client.request({"op": forkserver.FORK, "word": "two", "wait": True}, [write])["pid"]
    os.close(write)
    assert os.read(read, 64) == b"child two"
    assert client.request({"op": forkserver.POLL, "pid": pid}) == {"status": None}
    assert client.request({"op": forkserver.END, "pid": pid}) == {"status": -signal.SIGKILL}
    os.close(read)


def test_a_malformed_request_ends_the_server(server):
    client, process = server
    with pytest.raises(forkserver.Gone):
        client.request({"op": forkserver.FORK, "word": "no descriptor"})
    assert process.wait(timeout=10) == 0


def test_a_stopped_server_is_gone_after_the_wait_allowed(server):
    client, process = server
    client.wait_ready()
    client.answer_seconds = 0.5
    os.kill(process.pid, signal.SIGSTOP)
    try:
        with pytest.raises(forkserver.Gone, match="in time"):
            client.request({"op": forkserver.POLL, "pid": 1})
    finally:
        os.kill(process.pid, signal.SIGCONT)
