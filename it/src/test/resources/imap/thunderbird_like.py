"""What a Thunderbird user does on a fresh account (the IMAP issue's "Done when"), with Python's imaplib:
log in (IMAPS, or STARTTLS after LOGIN is refused in clear text), find the special folders, read a message that
came by SMTP, flag it, create Archive and UID MOVE the message there, find it with SEARCH BODY, and IDLE on the
INBOX until a new delivery shows up."""

import imaplib
import time

from imaptest import arguments, check, deliver, ok, parse_list, response_code, step, tls_context, untagged, \
    wait_until

args = arguments("--mode")
context = tls_context(args.cert)

if args.mode == "imaps":
    step("connect over implicit TLS")
    imap = imaplib.IMAP4_SSL(args.host, args.imaps, ssl_context=context)
    check("AUTH=PLAIN" in imap.capabilities and "LOGINDISABLED" not in imap.capabilities,
          "passwords offered over TLS", imap.capabilities)
else:
    step("connect in clear text, then STARTTLS")
    imap = imaplib.IMAP4(args.host, args.imap)
    check("STARTTLS" in imap.capabilities and "LOGINDISABLED" in imap.capabilities,
          "STARTTLS and LOGINDISABLED announced before TLS", imap.capabilities)
    try:
        imap.login(args.user, args.password)
        check(False, "LOGIN before STARTTLS refused")
    except imaplib.IMAP4.error as e:
        check("[PRIVACYREQUIRED]" in str(e), "LOGIN before STARTTLS refused with [PRIVACYREQUIRED]", e)
    ok(imap.starttls(ssl_context=context), "STARTTLS")
    check("STARTTLS" not in imap.capabilities and "LOGINDISABLED" not in imap.capabilities
          and "AUTH=PLAIN" in imap.capabilities, "capabilities after STARTTLS", imap.capabilities)

step("log in")
ok(imap.login(args.user, args.password), "LOGIN")
capabilities = ok(imap.capability(), "CAPABILITY")[0].split()
for needed in (b"IMAP4rev1", b"IDLE", b"SPECIAL-USE", b"CREATE-SPECIAL-USE", b"UIDPLUS", b"MOVE", b"LIST-EXTENDED",
               b"NAMESPACE", b"ID"):
    check(needed in capabilities, "capability " + needed.decode(), capabilities)
ok(imap._simple_command("ID", '("name" "Thunderbird" "version" "128.0")'), "ID")
check(imap.response("ID")[1][0].startswith(b'("name" "Osprey"'), "server ID", imap.untagged_responses)
namespace = ok(imap.namespace(), "NAMESPACE")
check(namespace[0] == b'(("" ".")) NIL NIL', "one personal namespace, dot separator", namespace)

step("special-use folders (RFC 6154)")
special = parse_list(untagged(imap, "LIST", "(SPECIAL-USE)", '""', "*"))
check({name: attributes & {"\\Drafts", "\\Sent", "\\Junk", "\\Trash"} for name, attributes in special.items()}
      == {"Drafts": {"\\Drafts"}, "Sent": {"\\Sent"}, "Junk": {"\\Junk"}, "Trash": {"\\Trash"}},
      "LIST (SPECIAL-USE) lists exactly Drafts, Sent, Junk, Trash with their uses", special)
everything = parse_list(untagged(imap, "LIST", '""', "*", "RETURN", "(SPECIAL-USE)"))
check(set(everything) == {"INBOX", "Drafts", "Sent", "Junk", "Trash"}, "RETURN (SPECIAL-USE) lists all folders",
      everything)
check("\\Sent" in everything["Sent"] and "\\Trash" in everything["Trash"]
      and not everything["INBOX"] & {"\\Drafts", "\\Sent", "\\Junk", "\\Trash", "\\Archive"},
      "RETURN (SPECIAL-USE) marks the special folders only", everything)
subscribed = parse_list(untagged(imap, "LSUB", '""', "*"))
check({"Drafts", "Sent", "Junk", "Trash"} <= set(subscribed), "special folders subscribed", subscribed)

step("read a message delivered by SMTP")
deliver(args, args.user, "Meeting notes", "The pelican lands at noon.\nBring binoculars.\n")
wait_until(lambda: imap.select("INBOX")[1] == [b"1"], 20, "delivered message in INBOX")
uids = ok(imap.uid("SEARCH", None, "ALL"), "UID SEARCH ALL")[0].split()
check(len(uids) == 1, "one UID", uids)
uid = uids[0].decode()
data = ok(imap.uid("FETCH", uid, "(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])"), "headers")
check(b"Subject: Meeting notes" in data[0][1] and b"sender@example.net" in data[0][1], "headers", data)
data = ok(imap.uid("FETCH", uid, "(BODY[])"), "UID FETCH BODY[]")
body = data[0][1]
check(b"The pelican lands at noon." in body and b"Subject: Meeting notes" in body, "BODY[] is the message", body)
check(b"Delivered-To: " + args.user.encode() in body and b"\r\n" in body, "delivered with CRLF, Delivered-To", body)
flags = ok(imap.uid("FETCH", uid, "(FLAGS)"), "FLAGS")[0]
check(b"\\Seen" in flags, "BODY[] set \\Seen", flags)

step("flag it")
data = ok(imap.uid("STORE", uid, "+FLAGS", "(\\Flagged)"), "UID STORE +FLAGS (\\Flagged)")
check(b"\\Flagged" in data[0], "STORE answers the new flags", data)
flags = ok(imap.uid("FETCH", uid, "(FLAGS)"), "FLAGS again")[0]
check(b"\\Flagged" in flags and b"\\Seen" in flags, "\\Flagged and \\Seen kept", flags)
check(ok(imap.uid("SEARCH", None, "FLAGGED"), "SEARCH FLAGGED")[0] == uid.encode(), "SEARCH FLAGGED finds it")

step("create Archive with CREATE-SPECIAL-USE and UID MOVE the message there")
ok(imap._simple_command("CREATE", "Archive", "(USE (\\Archive))"), "CREATE Archive (USE (\\Archive))")
special = parse_list(untagged(imap, "LIST", "(SPECIAL-USE)", '""', "*"))
check("\\Archive" in special.get("Archive", set()), "Archive listed as \\Archive", special)
imap.response("COPYUID")
imap.response("EXPUNGE")
ok(imap.uid("MOVE", uid, "Archive"), "UID MOVE")
copyuid = response_code(imap, "COPYUID")
check(copyuid is not None and len(copyuid.split()) == 3 and copyuid.split()[1] == uid.encode(),
      "COPYUID <uidvalidity> <source uid> <new uid>", copyuid)
archived_uid = copyuid.split()[2].decode()
check(imap.response("EXPUNGE")[1] == [b"1"], "EXPUNGE 1 for the moved message", imap.untagged_responses)
check(ok(imap.uid("SEARCH", None, "ALL"), "UID SEARCH ALL")[0] == b"", "gone from INBOX")
status = ok(imap.status("INBOX", "(MESSAGES)"), "STATUS INBOX")[0]
check(status.endswith(b"(MESSAGES 0)"), "INBOX is empty", status)
check(ok(imap.select("Archive"), "SELECT Archive") == [b"1"], "one message in Archive")
data = ok(imap.uid("FETCH", archived_uid, "(FLAGS BODY.PEEK[TEXT])"), "FETCH moved message")
check(b"\\Flagged" in data[0][0] and b"pelican" in data[0][1], "moved with its flags and body", data)

step("SEARCH BODY in Archive")
found = ok(imap.uid("SEARCH", None, "BODY", "pelican"), "UID SEARCH BODY pelican")[0]
check(found == archived_uid.encode(), "SEARCH BODY finds the moved message", found)
found = ok(imap.uid("SEARCH", None, "BODY", "BINOCULARS"), "UID SEARCH BODY BINOCULARS")[0]
check(found == archived_uid.encode(), "SEARCH BODY ignores case", found)
found = ok(imap.uid("SEARCH", None, "BODY", "albatross"), "UID SEARCH BODY albatross")[0]
check(found == b"", "SEARCH BODY does not find a word that is not there", found)

step("IDLE on INBOX: a delivery, and changes made from another device")
check(ok(imap.select("INBOX"), "SELECT INBOX") == [b"0"], "INBOX empty before IDLE")
tag = imap._new_tag()
imap.send(tag + b" IDLE\r\n")
imap.sock.settimeout(20)
line = imap.readline()
check(line.startswith(b"+"), "IDLE continuation", line)


def read_until(suffix):
    lines = []
    while True:
        line = imap.readline()
        lines.append(line.strip())
        if line.rstrip().endswith(suffix):
            return lines


started = time.monotonic()
deliver(args, args.user, "While you were idling", "A heron.\n")
lines = read_until(b"EXISTS")
waited = time.monotonic() - started
print("EXISTS after %.2f s (delivery included)" % waited)
check(lines[-1] == b"* 1 EXISTS", "IDLE reports * 1 EXISTS", lines)
check(waited < 5, "the new message is announced within 5 s", waited)

phone = imaplib.IMAP4_SSL(args.host, args.imaps, ssl_context=context)
ok(phone.login(args.user, args.password), "second session (another device) logs in")
ok(phone.select("INBOX"), "second session selects INBOX")
started = time.monotonic()
ok(phone.store("1", "+FLAGS", "(\\Flagged)"), "second session flags the new message")
lines = read_until(b")")
check(lines[-1].startswith(b"* 1 FETCH (") and b"\\Flagged" in lines[-1],
      "the idling session sees the flag change", lines)
ok(phone.store("1", "+FLAGS.SILENT", "(\\Deleted)"), "second session deletes it")
ok(phone.expunge(), "second session expunges")
lines = read_until(b"EXPUNGE")
check(lines[-1] == b"* 1 EXPUNGE", "the idling session sees the expunge", lines)
print("flag change and expunge seen after %.2f s" % (time.monotonic() - started))
phone.logout()

imap.send(b"DONE\r\n")
line = imap.readline()
while not line.startswith(tag):
    line = imap.readline()
check(line.startswith(tag + b" OK"), "IDLE terminated by DONE", line)
imap.sock.settimeout(None)
check(ok(imap.noop(), "NOOP") and ok(imap.status("INBOX", "(MESSAGES)"), "STATUS")[0].endswith(b"(MESSAGES 0)"),
      "INBOX empty again")

typ, data = imap.logout()
check(typ == "BYE", "LOGOUT answered with BYE", typ, data)
print("ALL CHECKS PASSED")
