"""A real SMTP server for `make bench`'s announcement measure, in a process of its own as any
mail server is (in the measuring process it would compete with the sender for the interpreter
lock at every SMTP reply). It accepts every message and, once its standard input closes, prints
the recipients it accepted as JSON.

    python -m bench.smtp_sink PORT
"""

import json
import logging
import sys

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self):
        self.received: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


def main(port: int) -> None:
    # aiosmtpd logs every SMTP command at INFO: thousands of lines that would bury the table.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        print("ready", flush=True)
        sys.stdin.read()  # the measuring process closes it when done
    finally:
        controller.stop()
    print(json.dumps({"received": counter.received}), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
