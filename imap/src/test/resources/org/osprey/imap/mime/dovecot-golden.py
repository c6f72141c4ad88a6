#!/usr/bin/env python3
"""Asks a real Dovecot (2.3.19.1 when dovecot-golden.txt was made) what it answers to FETCH for each sample in
samples/, and writes the answers to dovecot-golden.txt for ImapMessageDovecotTest. Run as root from anywhere:

    python3 dovecot-golden.py

Each sample goes alone into a Maildir owned by uid 65534 (Dovecot refuses root), and Dovecot's imap binary is
run pre-authenticated on stdin/stdout. Record format, one per item:

    @@ <sample> <item> <kind> <length>\\n<length bytes>\\n

kind: raw (the item's value as Dovecot wrote it: ENVELOPE, BODYSTRUCTURE, BODY, BINARY.SIZE, RFC822.SIZE),
data (the octets of a string/literal value: BODY[...], BINARY[...], PREVIEW), nil, or err (Dovecot said NO/BAD;
the bytes are its text).
"""
import os, re, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SECTIONS = ["", "HEADER", "TEXT", "1", "1.MIME", "1.HEADER", "1.TEXT", "2", "2.MIME", "2.HEADER", "2.TEXT",
            "2.1", "2.1.MIME", "2.2", "2.2.MIME", "2.1.HEADER", "3", "1.1", "1.2", "1.1.MIME", "1.1.TEXT", "1.2.1",
            "4", "HEADER.FIELDS (FROM SUBJECT X-NOPE)", "HEADER.FIELDS.NOT (FROM SUBJECT RECEIVED)",
            "2.HEADER.FIELDS (SUBJECT)", "1.HEADER.FIELDS.NOT (SUBJECT)", "1.MIME", "2.1.TEXT"]
BINARY = ["", "1", "2", "3", "2.1", "1.1", "1.2"]
ITEMS = (["ENVELOPE", "BODYSTRUCTURE", "BODY", "RFC822.SIZE", "PREVIEW"]
         + ["BODY.PEEK[%s]" % s for s in SECTIONS]
         + ["BINARY.PEEK[%s]" % s for s in BINARY]
         + ["BINARY.SIZE[%s]" % s for s in BINARY if s])

CONF = """mail_location = maildir:{root}/Maildir
mail_uid = 65534
mail_gid = 65534
first_valid_uid = 0
first_valid_gid = 0
ssl = no
base_dir = {root}/run
log_path = {root}/log
protocols = imap
imap_capability = +PREVIEW
userdb {{
  driver = static
  args = uid=65534 gid=65534 home={root}/home
}}
passdb {{
  driver = static
  args = password=x
}}
"""


class Reader:
    """Reads whole responses (literals included) from the server."""

    def __init__(self, stream):
        self.stream = stream

    def response(self):
        resp = b""
        while True:
            line = self.stream.readline()
            if not line:
                raise EOFError("Dovecot closed the connection")
            resp += line
            m = re.search(rb"~?\{(\d+)\}\r\n$", line)
            if not m:
                return resp
            resp += self.stream.read(int(m.group(1)))


def value(resp):
    """The value of the single item in '* 1 FETCH (ITEM VALUE)\\r\\n'."""
    body = resp[resp.index(b"FETCH (") + 7:-3]
    if body.startswith((b"BODY[", b"BINARY[", b"BINARY.SIZE[")):
        cut = body.index(b"] ") + 2
        if body[cut - 2:cut].endswith(b" ") and body[cut:cut + 1] == b"<":
            cut = body.index(b" ", cut) + 1
    else:
        cut = body.index(b" ") + 1
    return body[cut:]


def decode(v):
    if v == b"NIL":
        return "nil", b""
    if v.startswith(b'"'):
        return "data", re.sub(rb'\\(.)', rb'\1', v[1:-1])
    m = re.match(rb"~?\{(\d+)\}\r\n", v)
    return "data", v[m.end():]


def ask(sample):
    root = tempfile.mkdtemp(prefix="dove-")
    os.chmod(root, 0o755)
    for d in ["run", "home", "Maildir/cur", "Maildir/new", "Maildir/tmp"]:
        os.makedirs(os.path.join(root, d))
    shutil.copy(os.path.join(HERE, "samples", sample), os.path.join(root, "Maildir/cur/1.sample:2,"))
    with open(os.path.join(root, "dovecot.conf"), "w") as f:
        f.write(CONF.format(root=root))
    subprocess.run(["chown", "-R", "65534:65534", root], check=True)
    proc = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "USER=x",
                             "HOME=" + root + "/home", "/usr/lib/dovecot/imap", "-c", root + "/dovecot.conf"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=root)
    reader = Reader(proc.stdout)
    answers = {}
    # One command at a time: Dovecot runs pipelined FETCHes together and may reorder their untagged answers.
    for tag, item in [("s", None)] + [("t%d" % n, item) for n, item in enumerate(ITEMS)]:
        command = b"s SELECT INBOX\r\n" if item is None else b"%s FETCH 1 (%s)\r\n" % (tag.encode(), item.encode())
        proc.stdin.write(command)
        proc.stdin.flush()
        pending = []
        while True:
            resp = reader.response()
            m = re.match(rb"%s (OK|NO|BAD) " % tag.encode(), resp)
            if m:
                break
            pending.append(resp)
        if item is None:
            continue
        fetched = [r for r in pending if r.startswith(b"* 1 FETCH (")]
        if m.group(1) != b"OK" or not fetched:
            answers[item] = ("err", resp[m.end():-2])
        else:
            v = value(fetched[0])
            raw = item in ("ENVELOPE", "BODYSTRUCTURE", "BODY", "RFC822.SIZE") or item.startswith("BINARY.SIZE")
            answers[item] = ("raw", v) if raw else decode(v)
    proc.stdin.write(b"z LOGOUT\r\n")
    proc.stdin.close()
    proc.wait()
    shutil.rmtree(root)
    return answers


def main():
    out = open(os.path.join(HERE, "dovecot-golden.txt"), "wb")
    version = subprocess.run(["dovecot", "--version"], capture_output=True, text=True).stdout.strip()
    out.write(b"# FETCH answers of Dovecot %s for samples/, written by dovecot-golden.py\n" % version.encode())
    for sample in sorted(os.listdir(os.path.join(HERE, "samples"))):
        for item, (kind, data) in ask(sample).items():
            out.write(b"@@ %s %s %s %d\n" % (sample.encode(), item.replace(" ", "_").encode(), kind.encode(),
                                             len(data)))
            out.write(data + b"\n")


if __name__ == "__main__":
    main()
