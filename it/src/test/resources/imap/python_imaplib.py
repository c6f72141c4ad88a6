"""Python's imaplib over IMAP with STARTTLS: the everyday commands, each answer parsed and compared with what the
messages delivered by SMTP (and one APPENDed) must give: FETCH (ENVELOPE, BODYSTRUCTURE, HEADER.FIELDS, partial
BODY[]), STORE, COPY, EXPUNGE, APPEND with flags and date, STATUS, GETQUOTAROOT, UID SEARCH, SORT and THREAD."""

import base64
import datetime
import email.message
import email.utils
import imaplib
import re
import smtplib

from imaptest import arguments, check, fetch_responses, ok, step, tls_context, uids, wait_until

args = arguments()

step("STARTTLS and LOGIN")
imap = imaplib.IMAP4(args.host, args.imap)
ok(imap.starttls(ssl_context=tls_context(args.cert)), "STARTTLS")
ok(imap.login(args.user, args.password), "LOGIN")


def message(sender, subject, date, body, message_id, in_reply_to=None, attachment=None):
    msg = email.message.EmailMessage()
    msg["From"] = sender
    msg["To"] = args.user
    msg["Subject"] = subject
    msg["Date"] = date
    msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to[-1]
        msg["References"] = " ".join(in_reply_to)
    msg.set_content(body)
    if attachment:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename="budget.pdf")
    return msg


def flags_of(values):
    """FETCH FLAGS without \\Recent (this IMAP4rev1 session is the first to see the messages, so they have it)."""
    return sorted(f for f in values if f != b"\\Recent")


def messages_in_inbox():
    status = ok(imap.status("INBOX", "(MESSAGES)"), "STATUS INBOX (MESSAGES)")[0]
    return int(status.rsplit(b" ", 1)[1].rstrip(b")"))


step("deliver six messages by SMTP, one at a time so that their order is known")
ids = ["<budget@example.net>", "<re-budget@example.net>", "<lunch@example.net>", "<holiday@example.net>",
       "<re-re-budget@example.net>", "<delete@example.net>"]
pdf = b"%PDF-1.4\n" + bytes(range(256)) * 8
delivered = [
    message("Alice Adams <alice@example.net>", "Budget 2026", "Mon, 05 Jan 2026 09:00:00 +0000",
            "The numbers are attached.\n", ids[0], attachment=pdf),
    message("Bob Brown <bob@example.net>", "Re: Budget 2026", "Tue, 06 Jan 2026 09:00:00 +0000",
            "Looks fine to me.\n", ids[1], in_reply_to=ids[:1]),
    message("Carol Clark <carol@example.net>", "Lunch? Café", "Sun, 04 Jan 2026 12:00:00 +0000",
            "Noon at the usual café?\n", ids[2]),
    message("Alice Adams <alice@example.net>", "Holiday photos", "Wed, 07 Jan 2026 18:30:00 +0000",
            "Sunny all week.\n", ids[3]),
    message("Erin Evans <erin@example.net>", "Re: Re: Budget 2026", "Thu, 08 Jan 2026 08:00:00 +0000",
            "Agreed.\n", ids[4], in_reply_to=ids[:2]),
    message("Frank Fox <frank@example.net>", "Delete me", "Thu, 08 Jan 2026 09:00:00 +0000",
            "Spam, really.\n", ids[5]),
]
for n, msg in enumerate(delivered, 1):
    with smtplib.SMTP(args.host, args.smtp, timeout=30) as smtp:
        smtp.send_message(msg, from_addr=email.utils.parseaddr(msg["From"])[1], to_addrs=[args.user])
    wait_until(lambda: messages_in_inbox() == n, 20, "message %d delivered" % n)

step("SELECT")
exists = ok(imap.select("INBOX"), "SELECT INBOX")
check(exists == [b"6"], "6 EXISTS", exists)
uidvalidity = int(imap.response("UIDVALIDITY")[1][0])
check(uidvalidity > 0, "UIDVALIDITY", uidvalidity)
check(imap.response("UIDNEXT")[1] == [b"7"], "UIDNEXT 7", imap.untagged_responses)
flags = imap.response("FLAGS")[1][0]
check(all(f in flags for f in (b"\\Answered", b"\\Flagged", b"\\Deleted", b"\\Seen", b"\\Draft")), "FLAGS", flags)
permanent = imap.response("PERMANENTFLAGS")[1][0]
check(b"\\*" in permanent, "PERMANENTFLAGS allows new keywords", permanent)
check("READ-WRITE" in imap.untagged_responses, "SELECT completed with [READ-WRITE]", imap.untagged_responses)

step("FETCH ENVELOPE")
envelopes = fetch_responses(ok(imap.fetch("1:6", "(UID ENVELOPE)"), "FETCH 1:6 (UID ENVELOPE)"))
check(sorted(envelopes) == [1, 2, 3, 4, 5, 6] and [envelopes[n]["UID"] for n in range(1, 7)] == [1, 2, 3, 4, 5, 6],
      "UIDs 1 to 6 in delivery order", envelopes)
date, subject, sender, _, reply_to, to, cc, bcc, in_reply_to, message_id = envelopes[2]["ENVELOPE"]
check(date == b"Tue, 06 Jan 2026 09:00:00 +0000", "envelope date", date)
check(subject == b"Re: Budget 2026", "envelope subject", subject)
check(sender == [[b"Bob Brown", None, b"bob", b"example.net"]], "envelope from", sender)
check(reply_to == sender, "envelope reply-to defaults to from", reply_to)
check(to == [[None, None] + args.user.encode().split(b"@")], "envelope to", to)
check(cc is None and bcc is None, "no cc, bcc", cc, bcc)
check(in_reply_to == b"<budget@example.net>" and message_id == b"<re-budget@example.net>",
      "envelope in-reply-to, message-id", in_reply_to, message_id)
raw_lunch_subject = re.search(rb"^Subject: (.*)$", delivered[2].as_bytes(), re.MULTILINE).group(1)
check(b"=?utf-8?" in raw_lunch_subject.lower() and envelopes[3]["ENVELOPE"][1] == raw_lunch_subject,
      "an encoded subject as it was sent", envelopes[3]["ENVELOPE"][1], raw_lunch_subject)

step("FETCH BODYSTRUCTURE")
structure = fetch_responses(ok(imap.fetch("1", "(BODYSTRUCTURE)"), "FETCH 1 BODYSTRUCTURE"))[1]["BODYSTRUCTURE"]
text, attachment = structure[0], structure[1]
check(structure[2].upper() == b"MIXED", "multipart/mixed", structure)
check([text[0].upper(), text[1].upper()] == [b"TEXT", b"PLAIN"] and text[2][0].upper() == b"CHARSET"
      and text[2][1].lower() == b"utf-8" and text[5].upper() == b"7BIT" and text[7] == 1,
      "first part text/plain; charset=utf-8, 7bit, one line", text)
check([attachment[0].upper(), attachment[1].upper(), attachment[5].upper()] == [b"APPLICATION", b"PDF", b"BASE64"],
      "second part application/pdf in base64", attachment)
encoded_size = len(delivered[0].get_payload()[1].get_payload().replace("\n", "\r\n"))
check(abs(attachment[6] - encoded_size) <= 2, "attachment size is its encoded size", attachment[6], encoded_size)
disposition = attachment[8]
check(disposition[0].lower() == b"attachment" and [p.lower() for p in disposition[1]] == [b"filename",
                                                                                           b"budget.pdf"],
      "attachment disposition with filename", disposition)
check(structure[3][0].upper() == b"BOUNDARY", "boundary parameter", structure[3])
part2 = fetch_responses(ok(imap.fetch("1", "(BODY.PEEK[2])"), "FETCH 1 BODY.PEEK[2]"))[1]["BODY[2]"]
check(base64.b64decode(part2) == pdf, "BODY[2] decodes to the attachment")

step("FETCH header fields and partial BODY[]")
header = fetch_responses(ok(imap.fetch("3", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])"), "HEADER.FIELDS"))[3]
check(header["BODY[HEADER.FIELDS (SUBJECT)]"] == b"Subject: " + raw_lunch_subject + b"\r\n\r\n",
      "only the Subject line and the blank line", header)
whole = fetch_responses(ok(imap.fetch("3", "(BODY.PEEK[] FLAGS)"), "BODY.PEEK[]"))[3]
check(b"\\Seen" not in whole["FLAGS"], "PEEK leaves \\Seen alone", whole["FLAGS"])
partial = fetch_responses(ok(imap.fetch("3", "(BODY[]<0.10>)"), "FETCH 3 BODY[]<0.10>"))[3]
check(partial["BODY[]<0>"] == whole["BODY[]"][:10], "BODY[]<0.10> is the first 10 bytes", partial)
partial = fetch_responses(ok(imap.fetch("3", "(BODY.PEEK[]<100.20>)"), "FETCH 3 BODY.PEEK[]<100.20>"))[3]
check(partial["BODY[]<100>"] == whole["BODY[]"][100:120], "BODY[]<100.20> is bytes 100 to 119", partial)
flags = fetch_responses(ok(imap.fetch("3", "(FLAGS)"), "FETCH 3 FLAGS"))[3]["FLAGS"]
check(flags_of(flags) == [b"\\Seen"], "BODY[]<0.10> set \\Seen", flags)
sizes = fetch_responses(ok(imap.fetch("1:6", "(RFC822.SIZE)"), "RFC822.SIZE"))
check(sizes[3]["RFC822.SIZE"] == len(whole["BODY[]"]), "RFC822.SIZE is the size of BODY[]", sizes[3])

step("STORE")
stored = fetch_responses(ok(imap.store("2", "+FLAGS", "(\\Answered $Label1)"), "STORE 2 +FLAGS"))
check(flags_of(stored[2]["FLAGS"]) == [b"$Label1", b"\\Answered"], "+FLAGS answers the new flags", stored)
stored = fetch_responses(ok(imap.store("2", "-FLAGS", "($Label1)"), "STORE 2 -FLAGS"))
check(flags_of(stored[2]["FLAGS"]) == [b"\\Answered"], "-FLAGS removed the keyword", stored)
data = ok(imap.store("4", "FLAGS.SILENT", "(\\Draft)"), "STORE 4 FLAGS.SILENT")
check(data == [None], "FLAGS.SILENT sends no FETCH", data)
flags = fetch_responses(ok(imap.fetch("4", "(FLAGS)"), "FETCH 4 FLAGS"))[4]["FLAGS"]
check(flags_of(flags) == [b"\\Draft"], "FLAGS replaced", flags)
ok(imap.store("4", "-FLAGS.SILENT", "(\\Draft)"), "STORE 4 -FLAGS.SILENT")

step("COPY")
ok(imap.create("Projects"), "CREATE Projects")
imap.response("COPYUID")
ok(imap.copy("1:2", "Projects"), "COPY 1:2 Projects")
copyuid = imap.response("COPYUID")[1][0].split()
check(copyuid[1:] == [b"1:2", b"1:2"], "COPYUID <validity> 1:2 1:2", copyuid)
status = ok(imap.status("Projects", "(MESSAGES UNSEEN UIDNEXT)"), "STATUS Projects")[0]
check(status.replace(b'"', b"") == b"Projects (MESSAGES 2 UNSEEN 2 UIDNEXT 3)", "two copies, unseen, UIDNEXT 3", status)

step("EXPUNGE")
ok(imap.store("6", "+FLAGS.SILENT", "(\\Deleted)"), "STORE 6 +FLAGS.SILENT (\\Deleted)")
expunged = ok(imap.expunge(), "EXPUNGE")
check(expunged == [b"6"], "* 6 EXPUNGE", expunged)

step("APPEND with flags and internal date")
old = message("Dave Dunn <dave@example.net>", "Old news", "Wed, 01 Jan 2020 09:59:00 +0000", "From the archive.\n",
              "<old@example.net>")
internal = datetime.datetime(2020, 1, 1, 10, 0, 0, tzinfo=datetime.timezone.utc)
imap.response("APPENDUID")
ok(imap.append("INBOX", "(\\Seen \\Flagged)", imaplib.Time2Internaldate(internal), old.as_bytes()), "APPEND")
appenduid = imap.response("APPENDUID")[1][0].split()
check(appenduid == [str(uidvalidity).encode(), b"7"], "APPENDUID <validity> 7", appenduid)
ok(imap.noop(), "NOOP")
appended = fetch_responses(ok(imap.uid("FETCH", "7", "(FLAGS INTERNALDATE RFC822.SIZE)"), "UID FETCH 7"))[6]
check(flags_of(appended["FLAGS"]) == [b"\\Flagged", b"\\Seen"], "appended with its flags", appended)
when = datetime.datetime.strptime(appended["INTERNALDATE"].decode(), "%d-%b-%Y %H:%M:%S %z")
check(when == internal, "appended with its internal date", appended["INTERNALDATE"])
check(appended["RFC822.SIZE"] == len(old.as_bytes().replace(b"\n", b"\r\n")), "appended size", appended)

step("STATUS")
status = ok(imap.status("INBOX", "(MESSAGES UNSEEN UIDNEXT UIDVALIDITY SIZE)"), "STATUS INBOX")[0]
status_items = status.split(b"(", 1)[1].rstrip(b")").split()
status = dict(zip(status_items[::2], [int(v) for v in status_items[1::2]]))
check({k: status[k] for k in (b"MESSAGES", b"UNSEEN", b"UIDNEXT", b"UIDVALIDITY")}
      == {b"MESSAGES": 6, b"UNSEEN": 4, b"UIDNEXT": 8, b"UIDVALIDITY": uidvalidity}, "STATUS INBOX", status)
total = sum(v["RFC822.SIZE"] for v in fetch_responses(ok(imap.fetch("1:*", "(RFC822.SIZE)"), "sizes")).values())
check(status[b"SIZE"] == total, "STATUS SIZE is the sum of RFC822.SIZE", status, total)

step("GETQUOTAROOT")
roots, quotas = ok(imap.getquotaroot("INBOX"), "GETQUOTAROOT INBOX")
check(roots == [b'INBOX ""'] or roots == [b'"INBOX" ""'], "quota root \"\"", roots)
quota = quotas[0]
check(quota.startswith(b'"" (STORAGE ') and quota.endswith(b" 102400)"), "STORAGE used of 102400 KiB", quota)
used = int(quota.split()[2])
inbox = fetch_responses(ok(imap.fetch("1:*", "(BODY.PEEK[])"), "all of INBOX"))
bodies = [m["BODY[]"] for m in inbox.values()] + [inbox[1]["BODY[]"], inbox[2]["BODY[]"]]  # and their copies
crlf_bytes = sum(len(b) for b in bodies)
lf_bytes = sum(len(b) - b.count(b"\r\n") for b in bodies)
print("quota: %d KiB used; messages are %d bytes with LF line ends, %d with CRLF" % (used, lf_bytes, crlf_bytes))
# RFC 9208 §5.1: STORAGE is the physical space in KiB; Maildir files have LF line ends (Dovecot counts those).
check(used in ((lf_bytes + 1023) // 1024, (crlf_bytes + 1023) // 1024), "quota usage counts INBOX and Projects",
      used, lf_bytes, crlf_bytes)

step("UID SEARCH")
yesterday = (datetime.date.today() - datetime.timedelta(days=1)).strftime("%d-%b-%Y")


def search(*keys):
    return uids(ok(imap.uid("SEARCH", *keys), "UID SEARCH " + " ".join(keys)))


check(search("FROM", "alice") == [1, 4], "FROM alice")
check(search("FROM", '"Bob Brown"') == [2], "FROM a display name")
check(search("SUBJECT", "budget") == [1, 2, 5], "SUBJECT budget")
check(search("SINCE", yesterday) == [1, 2, 3, 4, 5], "SINCE yesterday: the delivered ones, not the 2020 APPEND")
check(search("BEFORE", "1-Jan-2021") == [7], "BEFORE 2021: the APPEND")
check(search("SENTBEFORE", "6-Jan-2026") == [1, 3, 7], "SENTBEFORE 6-Jan-2026 (Date header)")
check(search("UNSEEN") == [1, 2, 4, 5], "UNSEEN")
check(search("OR", "FROM", "carol", "FROM", "dave") == [3, 7], "OR FROM carol FROM dave")
check(search("NOT", "SUBJECT", "budget") == [3, 4, 7], "NOT SUBJECT budget")
check(search("FROM", "alice", "NOT", "SUBJECT", "holiday") == [1], "FROM alice NOT SUBJECT holiday")
check(search("UNSEEN", "SUBJECT", "budget", "SINCE", yesterday) == [1, 2, 5], "UNSEEN SUBJECT SINCE")
check(search("ANSWERED") == [2] and search("FLAGGED", "SEEN") == [7], "ANSWERED; FLAGGED SEEN")
check(search("HEADER", "In-Reply-To", "<budget@example.net>") == [2], "HEADER In-Reply-To")
check(search("LARGER", "2000") == [1], "LARGER 2000: the one with the attachment")
check(search("1:3", "NOT", "SEEN") == [1, 2], "sequence set and NOT SEEN")
imap.literal = "café".encode()
check(uids(ok(imap.uid("SEARCH", "CHARSET", "UTF-8", "SUBJECT"), "SEARCH CHARSET UTF-8 SUBJECT café")) == [3],
      "SUBJECT in UTF-8 matches the decoded encoded-word")
check(search("TEXT", "archive") == [7] and search("BODY", "numbers") == [1], "TEXT and BODY")
imap.literal = "CAFÉ".encode()
check(uids(ok(imap.uid("SEARCH", "CHARSET", "UTF-8", "BODY"), "SEARCH CHARSET UTF-8 BODY CAFÉ")) == [3],
      "BODY in UTF-8 matches the decoded body, ignoring case")

step("SORT")


def sort(criteria):
    return uids(ok(imap.uid("SORT", criteria, "UTF-8", "ALL"), "UID SORT " + criteria))


check(sort("(DATE)") == [7, 3, 1, 2, 4, 5], "SORT (DATE)")
check(sort("(REVERSE DATE)") == [5, 4, 2, 1, 3, 7], "SORT (REVERSE DATE)")
check(sort("(ARRIVAL)") == [7, 1, 2, 3, 4, 5], "SORT (ARRIVAL)")
check(sort("(SUBJECT)") == [1, 2, 5, 4, 3, 7], "SORT (SUBJECT): base subjects, ties by sequence")
check(sort("(FROM)") == [1, 4, 2, 3, 7, 5], "SORT (FROM): by address mailbox")
check(sort("(SIZE)")[-1] == 1, "SORT (SIZE): the attachment last")
check(uids(ok(imap.sort("(DATE)", "UTF-8", "FROM", "alice"), "SORT (DATE) FROM alice")) == [1, 4],
      "SORT with a search key, by sequence numbers")

step("THREAD")
threads = ok(imap.uid("THREAD", "REFERENCES", "UTF-8", "ALL"), "UID THREAD REFERENCES")
check(threads == [b"(7)(3)(1 2 5)(4)"], "THREAD REFERENCES: the budget thread, roots by date", threads)
threads = ok(imap.uid("THREAD", "ORDEREDSUBJECT", "UTF-8", "ALL"), "UID THREAD ORDEREDSUBJECT")
check(threads == [b"(7)(3)(1 (2)(5))(4)"], "THREAD ORDEREDSUBJECT", threads)

typ, data = imap.logout()
check(typ == "BYE", "LOGOUT", typ, data)
print("ALL CHECKS PASSED")
