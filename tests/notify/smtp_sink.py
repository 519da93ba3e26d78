"""An SMTP sink for the tests: aiosmtpd (Debian's python3-aiosmtpd, so run it with /usr/bin/python3)
with its Mailbox handler, on 127.0.0.1 and a port the system picks. Prints the port, then serves
until killed. Usage: smtp_sink.py MAILDIR"""
import asyncio
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP


async def main(maildir):
    loop = asyncio.get_running_loop()
    handler = Mailbox(maildir)
    server = await loop.create_server(lambda: SMTP(handler), host="127.0.0.1", port=0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
