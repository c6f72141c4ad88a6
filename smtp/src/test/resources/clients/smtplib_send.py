"""Sends through Python's smtplib, as a real-world client would; prints one "key: value" line per result.

usage: python3 smtplib_send.py PORT MARKER
"""
import smtplib
import ssl
import sys

port = int(sys.argv[1])
marker = sys.argv[2]


def message(tag):
    return ("From: py@example.net\r\nTo: john@example.org, jane@example.org\r\n"
            "Subject: %s-%s\r\n\r\nHello from smtplib.\r\n.leading dot\r\n" % (marker, tag))


def show(refused):
    return " ".join("%s=%d" % (rcpt, code) for rcpt, (code, _) in sorted(refused.items()))


with smtplib.SMTP("127.0.0.1", port, local_hostname="python.example.net", timeout=30) as s:
    s.ehlo()
    print("features:", " ".join(sorted(s.esmtp_features)))
    refused = s.sendmail("py@example.net", ["john@example.org", "jane@example.org", "nobody@example.org"],
                         message("plain"))
    print("refused:", show(refused))
    try:
        s.sendmail("py@example.net", ["nobody@example.org"], message("none"))
        print("all-refused: no exception")
    except smtplib.SMTPRecipientsRefused as e:
        print("all-refused:", show(e.recipients))
    s.starttls(context=ssl._create_unverified_context())
    s.ehlo()
    print("tls-features:", " ".join(sorted(s.esmtp_features)))
    refused = s.sendmail("py@example.net", ["john@example.org"], message("tls"))
    print("tls-refused:", show(refused))
print("done")
