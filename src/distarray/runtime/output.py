"""Forwarding of worker output (print, warnings, logging) to the client."""

import io
import sys
import time

from .messages import TAG_OUTPUT

#: Seconds between two sends of partial output while a command runs.
FLUSH_INTERVAL = 0.05


class ForwardingStream(io.TextIOBase):
    """A text stream on a worker whose lines are sent to the client.

    Text is buffered; it is sent when a line ends and the last send is older
    than :data:`FLUSH_INTERVAL`, and always by :meth:`flush` (which the worker
    loop calls before every reply, so output precedes the command's result).
    """

    def __init__(self, inter, name, rank):
        super().__init__()
        self.inter = inter
        self.name = name
        self.rank = rank
        self.parts = []
        self.last_send = 0.0

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        self.parts.append(text)
        if "\n" in text and time.monotonic() - self.last_send > FLUSH_INTERVAL:
            self.flush()
        return len(text)

    def flush(self):
        if self.parts:
            text = "".join(self.parts)
            self.parts.clear()
            self.inter.send((self.name, self.rank, text), dest=0, tag=TAG_OUTPUT)
            self.last_send = time.monotonic()


def install(inter, rank):
    """Replace ``sys.stdout`` and ``sys.stderr`` with forwarding streams."""
    sys.stdout = ForwardingStream(inter, "stdout", rank)
    sys.stderr = ForwardingStream(inter, "stderr", rank)


def flush_all():
    """Send whatever output is buffered."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, ForwardingStream):
            stream.flush()


def show(name, rank, text):
    """On the client: write one forwarded piece, each line prefixed by its rank."""
    stream = sys.stderr if name == "stderr" else sys.stdout
    prefix = "[%d] " % rank
    lines = text.splitlines(keepends=True)
    stream.write("".join(prefix + line for line in lines))
    stream.flush()
