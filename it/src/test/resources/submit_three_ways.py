# A mail client sending through Osprey's submission port: STARTTLS, AUTH, one message to a local user and two
# external domains, one to a domain whose server refuses the recipient. Argument: the submission port.
import smtplib
import ssl
import sys

s = smtplib.SMTP('127.0.0.1', int(sys.argv[1]))
s.starttls(context=ssl._create_unverified_context())
s.login('john@example.org', 'john-secret')
refused = s.sendmail('john@example.org', ['jane@example.org', 'anne@two.example', 'bob@three.example'],
                     'From: John <john@example.org>\r\n'
                     'To: jane@example.org, anne@two.example, bob@three.example\r\n'
                     'Subject: three ways\r\n'
                     'Authentication-Results: mail.example.org; dkim=pass header.d=bank.example\r\n'
                     '\r\n'
                     'Hello, all three of you.\r\n')
assert not refused, refused
s.sendmail('john@example.org', ['nobody@refusing.example'],
           'From: john@example.org\r\nSubject: to nobody\r\n\r\nWill bounce.\r\n')
s.quit()
print('sent')
