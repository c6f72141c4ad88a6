# Moves the INBOX messages whose subject contains a word into Junk over IMAPS, as a user marking spam does.
# Arguments: port user password word. Prints "moved: N".
import imaplib
import ssl
import sys

port, user, password, word = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ssl._create_unverified_context())
imap.login(user, password)
typ, data = imap.select('INBOX')
assert typ == 'OK', data
typ, data = imap.uid('SEARCH', None, 'SUBJECT', word)
uids = data[0].split()
if uids:
    typ, data = imap.uid('MOVE', b','.join(uids).decode(), 'Junk')
    assert typ == 'OK', data
print('moved:', len(uids))
imap.logout()
