# Osprey's global rule, run before every user's own Sieve script (the ISPmail guide's spam-to-folder rule):
# mail the content checks flagged as spam goes into the Junk folder, and the user's rules are not run for it.
# Edit this file to change the rule, or set [sieve] before = [] in the config to switch it off.
require ["fileinto"];

if header :is "X-Spam-Flag" "YES" {
    fileinto "Junk";
    stop;
}
