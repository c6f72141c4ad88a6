"""Helpers shared by the IMAP interop scripts: the command line the Java tests pass, a TLS context that trusts
exactly the server's self-signed certificate, SMTP delivery of test mail, and checks that stop the script with a
message (exit status 1) on the first surprise."""

import argparse
import email.message
import email.utils
import imaplib
import re
import smtplib
import ssl
import sys
import time

# Commands imaplib does not know, so that _simple_command may send them.
imaplib.Commands.setdefault("ID", ("NONAUTH", "AUTH", "SELECTED"))


def arguments(*extra):
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp", type=int, required=True)
    parser.add_argument("--imap", type=int, required=True)
    parser.add_argument("--imaps", type=int, required=True)
    parser.add_argument("--cert", required=True, help="the server's certificate (PEM), the only one trusted")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    for name in extra:
        parser.add_argument(name)
    return parser.parse_args()


def tls_context(cert):
    # The certificate is for the server's hostname (mx.example.org) and we connect to 127.0.0.1: verify the chain
    # against exactly this certificate, not the name.
    context = ssl.create_default_context(cafile=cert)
    context.check_hostname = False
    return context


def step(text):
    print("==", text)


def check(condition, what, *details):
    if not condition:
        print("FAILED:", what)
        for d in details:
            print("  ", d)
        sys.exit(1)
    print("ok:", what)


def ok(result, what):
    """An imaplib (typ, data) pair that must be OK; returns data."""
    typ, data = result
    check(typ == "OK", what, typ, data)
    return data


def deliver(args, to, subject, body, sender="Sender <sender@example.net>", date=None, extra_headers=()):
    msg = email.message.EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date or email.utils.formatdate(localtime=True)
    msg["Message-ID"] = email.utils.make_msgid(domain="example.net")
    for name, value in extra_headers:
        msg[name] = value
    msg.set_content(body)
    with smtplib.SMTP(args.host, args.smtp, timeout=30) as smtp:
        smtp.send_message(msg, from_addr=email.utils.parseaddr(sender)[1], to_addrs=[to])
    return msg["Message-ID"]


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            print("ok:", what)
            return
        time.sleep(0.1)
    check(False, what + " within %d s" % seconds)


def untagged(imap, command, *args):
    """Runs a command imaplib has no method for (or passes its arguments raw) and returns its untagged answers
    named like the command, e.g. LIST (SPECIAL-USE) "" *."""
    typ, data = imap._simple_command(command, *args)
    check(typ == "OK", command + " " + " ".join(args), typ, data)
    name = command.split()[-1] if command != "UID" else args[0]
    return imap._untagged_response(typ, data, name)[1]


def response_code(imap, name):
    """The data of the latest response code [NAME ...] (tagged or untagged), consumed."""
    typ, data = imap.response(name)
    return data[-1] if data and data[-1] is not None else None


LIST_LINE = re.compile(rb'^\((?P<attributes>[^)]*)\) (?:"[^"]*"|NIL) (?P<name>"(?:[^"\\]|\\.)*"|\S+)$')


def parse_list(lines):
    """{mailbox name: set of attributes} from LIST answers."""
    folders = {}
    for line in lines:
        if line is None:
            continue
        m = LIST_LINE.match(line)
        if m is None:
            check(False, "LIST answer parses", line)
        name = m.group("name").decode()
        if name.startswith('"'):
            name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        folders[name] = set(m.group("attributes").decode().split())
    return folders


def parse_value(text, pos=0):
    """Parses one IMAP value at text[pos:] (bytes): a parenthesized list, a quoted string, a literal {n}CRLF...,
    NIL (None), a number (int) or an atom such as BODY[HEADER.FIELDS (SUBJECT)]<0> (bytes). Returns (value, pos)."""
    while text[pos:pos + 1] == b" ":
        pos += 1
    c = text[pos:pos + 1]
    if c == b"(":
        items = []
        pos += 1
        while True:
            while text[pos:pos + 1] == b" ":
                pos += 1
            if text[pos:pos + 1] == b")":
                return items, pos + 1
            item, pos = parse_value(text, pos)
            items.append(item)
    if c == b'"':
        out = bytearray()
        pos += 1
        while text[pos:pos + 1] != b'"':
            if text[pos:pos + 1] == b"\\":
                pos += 1
            out += text[pos:pos + 1]
            pos += 1
        return bytes(out), pos + 1
    if c == b"{":
        end = text.index(b"}", pos)
        size = int(text[pos + 1:end].rstrip(b"+"))
        start = end + 3  # past "}\r\n"
        return text[start:start + size], start + size
    start = pos
    depth = 0
    while pos < len(text):
        c = text[pos:pos + 1]
        if c == b"[":
            depth += 1
        elif c == b"]":
            depth -= 1
        elif depth == 0 and c in (b" ", b"(", b")"):
            break
        pos += 1
    atom = text[start:pos]
    if atom.upper() == b"NIL":
        return None, pos
    if atom.isdigit():
        return int(atom), pos
    return atom, pos


def fetch_responses(data):
    """imaplib's FETCH data (bytes and (head, literal) pairs) as {sequence number: {ITEM: value}}."""
    responses = []
    current = b""
    for piece in data:
        if isinstance(piece, tuple):
            current += piece[0] + b"\r\n" + piece[1]
        elif piece is not None:
            responses.append(current + piece)
            current = b""
    result = {}
    for response in responses:
        number, pos = parse_value(response)
        items, _ = parse_value(response, pos)
        result[number] = {items[i].decode().upper(): items[i + 1] for i in range(0, len(items), 2)}
    return result


def uids(data):
    """The numbers of an imaplib SEARCH/SORT answer."""
    return [int(n) for n in data[0].split()]
