#!/bin/sh
# Checks that Dovecot accepts what Passwords.hash writes: hashes a few passwords with each writable scheme
# and runs `doveadm pw -t` on every result, with the right password (must pass) and a wrong one (must fail).
# Run by hand after `mvn -pl core,directory -am compile`; needs doveadm, so it is not part of the build.
set -eu
root="$(cd "$(dirname "$0")/../../../../.." && pwd)"  # the repository root
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
jar() { find "$repo/$1" -name "$2" | head -n 1; }
cp="$root/directory/target/classes"
cp="$cp:$(jar org/bouncycastle/bcprov-jdk18on 'bcprov-jdk18on-1.86.jar')"
cp="$cp:$(jar commons-codec/commons-codec 'commons-codec-1.20.0.jar')"
cp="$cp:$(jar org/slf4j/slf4j-api 'slf4j-api-2.*.jar')"
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cat >"$dir/Emit.java" <<'JAVA'
import org.osprey.directory.password.PasswordScheme;
import org.osprey.directory.password.Passwords;

class Emit {
    public static void main(String[] args) {
        String[] passwords = {"secret", "pässwörd ☃", "x".repeat(80)};
        for (String password : passwords) {
            for (PasswordScheme scheme : PasswordScheme.values()) {
                System.out.println(password + "\t" + Passwords.hash(password, scheme));
            }
        }
    }
}
JAVA
"$java" -Dstdout.encoding=UTF-8 -Dslf4j.internal.verbosity=ERROR -cp "$cp" "$dir/Emit.java" >"$dir/ours.txt"

tab="$(printf '\t')"
count=0
while IFS="$tab" read -r password hash; do
    doveadm pw -t "$hash" -p "$password" >/dev/null
    # The wrong password differs in its first byte: bcrypt ignores everything after byte 72.
    if doveadm pw -t "$hash" -p "?${password}" >/dev/null 2>&1; then
        echo "doveadm accepted a wrong password for $hash" >&2
        exit 1
    fi
    echo "ok: $hash"
    count=$((count + 1))
done <"$dir/ours.txt"
echo "doveadm accepted all $count hashes written by Passwords.hash"
