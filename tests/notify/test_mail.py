"""A mail of the outbox delivered by the real code (notify/delivery.c and mail.c, libcurl's SMTP)
to a real SMTP server: aiosmtpd's Mailbox handler on 127.0.0.1 (tests/notify/smtp_sink.py),
checked in the maildir it writes: the envelope, the headers (Message-ID from the stable id, the
RFC 2047 subject), the text with its line of one dot; and a server that is gone: retried, then
failed. PX_TEST_MAIL names the helper that queues the mail and runs the deliverer."""
import email
import email.policy
import mailbox
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
HELPER = os.environ.get("PX_TEST_MAIL", "")
# Debian's python3-aiosmtpd: the python3 on PATH may be another one (pyenv)
DEBIAN_PYTHON = "/usr/bin/python3"

SUBJECT = "Ny praktik: Språkcafé i Malmö ✓"
TEXT = ("Hej moderatorer,\n"
        ".\n"
        "..two dots\n"
        "En ny praktik väntar: Språkcafé, 2026.\n"
        + "lång rad " * 150 + "\n"
        "Slut.\n")


class Sink:
    def __init__(self, maildir):
        self.process = subprocess.Popen([DEBIAN_PYTHON, os.path.join(HERE, "smtp_sink.py"), maildir],
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError("the SMTP sink did not start: %r" % line)
        self.port = int(line)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def send(directory, smtp, to, max_attempts=3):
    text_file = os.path.join(directory, "text.txt")
    with open(text_file, "w", encoding="utf-8") as f:
        f.write(TEXT)
    args = [HELPER, "--db", os.path.join(directory, "praxis.db"), "--smtp", smtp,
            "--from", "praxis@example.org", "--subject", SUBJECT, "--text-file", text_file,
            "--max-attempts", str(max_attempts)]
    for address in to:
        args += ["--to", address]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    queued = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("queued ")]
    return result, queued[0] if queued else None


class Mail(unittest.TestCase):
    def setUp(self):
        if not HELPER:
            self.fail("PX_TEST_MAIL is not set")
        self.directory = tempfile.TemporaryDirectory(prefix="praxis-mail-")
        self.maildir = os.path.join(self.directory.name, "maildir")

    def tearDown(self):
        self.directory.cleanup()

    def test_delivered_to_the_maildir(self):
        sink = Sink(self.maildir)
        try:
            result, message_id = send(self.directory.name, f"smtp://127.0.0.1:{sink.port}",
                                      ["mod1@example.org", "mod2@example.org"])
        finally:
            sink.stop()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"delivered {message_id}", result.stderr)
        messages = list(mailbox.Maildir(self.maildir, create=False))
        self.assertEqual(len(messages), 1)
        message = email.message_from_bytes(messages[0].as_bytes(), policy=email.policy.default)
        # the envelope, as aiosmtpd's handler records it
        self.assertEqual(message["X-MailFrom"], "praxis@example.org")
        self.assertEqual(message["X-RcptTo"], "mod1@example.org, mod2@example.org")
        self.assertEqual(message["Message-ID"], f"<{message_id}@example.org>")
        self.assertEqual(message["X-Praxis-Delivery"], message_id)
        self.assertEqual(str(message["Subject"]), SUBJECT)
        self.assertEqual(message["From"], "praxis@example.org")
        self.assertEqual([a.addr_spec for a in message["To"].addresses],
                         ["mod1@example.org", "mod2@example.org"])
        self.assertIsNotNone(message["Date"].datetime)
        self.assertEqual(message.get_content_type(), "text/plain")
        self.assertEqual(message.get_content_charset(), "utf-8")
        # the line of one dot and the line of two arrived as written (libcurl stuffs them)
        self.assertEqual(message.get_content().replace("\r\n", "\n"), TEXT)

    def test_server_gone_retried_then_failed(self):
        sink = Sink(self.maildir)
        port = sink.port
        sink.stop()
        result, message_id = send(self.directory.name, f"smtp://127.0.0.1:{port}",
                                  ["mod@example.org"], max_attempts=2)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIsNotNone(message_id)
        self.assertIn(f"message {message_id} (mail of px-test-mail", result.stderr)
        self.assertIn("attempt 1 failed", result.stderr)
        self.assertIn("failed after 2 attempts", result.stderr)
        self.assertIn(f"failed {message_id}", result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2, argv=[sys.argv[0]])
