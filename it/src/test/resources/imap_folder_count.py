# Counts the messages of one folder over IMAPS, as a mail client sees them.
# Arguments: port user password folder. Prints "folders: ..." and "count: N".
import imaplib
import ssl
import sys

port, user, password, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
imap = imaplib.IMAP4_SSL('127.0.0.1', port, ssl_context=ssl._create_unverified_context())
imap.login(user, password)
typ, folders = imap.list()
print('folders:', ' '.join(f.decode().split(' "." ')[-1].strip('"') for f in folders))
typ, data = imap.select(folder, readonly=True)
assert typ == 'OK', data
print('count:', int(data[0]))
imap.logout()
