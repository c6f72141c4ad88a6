#!/bin/sh
# Regenerates doveadm-vectors.txt next to this script. Needs doveadm (Debian: dovecot-core).
# Run by hand, not from the build: CI machines need not have Dovecot installed.
# Every row, including the relabelled ones, is checked with `doveadm pw -t` before it is written,
# so the file only holds values real Dovecot accepts.
set -eu
out="$(dirname "$0")/doveadm-vectors.txt"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT

ascii='secret'
unicode='pässwörd ☃'
long='correct horse battery staple correct horse battery staple correct horse battery!'

row() { # row SCHEME PASSWORD HASH: check with doveadm, then append
    doveadm pw -t "$3" -p "$2" >/dev/null
    printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$tmp"
}
gen() { # gen SCHEME PASSWORD [doveadm options...]
    scheme="$1" pw="$2"
    shift 2
    row "$scheme" "$pw" "$(doveadm pw -s "$scheme" -p "$pw" "$@")"
}
relabel() { # relabel NEWPREFIX HASH: swap the {SCHEME} prefix
    printf '%s%s' "$1" "${2#*\}}"
}

{
    echo "# Dovecot password vectors: SCHEME<TAB>password<TAB>stored value. UTF-8."
    echo "# Produced by generate-doveadm-vectors.sh with \`doveadm pw -s SCHEME -p PASSWORD\`,"
    echo "# Dovecot $(dovecot --version) (Debian dovecot-core $(dpkg-query -W -f '${Version}' dovecot-core)), $(date -u +%Y-%m-%d)."
    echo "# Every row was accepted by \`doveadm pw -t\` before it was written."
} >"$tmp"

for pw in "$ascii" "$unicode"; do
    for scheme in BLF-CRYPT SHA512-CRYPT SHA256-CRYPT MD5-CRYPT ARGON2ID ARGON2I \
            SSHA512 SSHA256 SSHA SHA512 SHA256 SHA SHA1 PLAIN CLEARTEXT CRYPT \
            SSHA512.HEX SSHA256.HEX SSHA.HEX SHA512.HEX SHA256.HEX SHA.HEX \
            SSHA256.B64 SHA512.B64; do
        gen "$scheme" "$pw"
    done
done

# Non-default costs, and bcrypt's 72-byte key limit.
gen SHA512-CRYPT "$ascii" -r 10000
gen SHA256-CRYPT "$unicode" -r 8000
gen BLF-CRYPT "$unicode" -r 10
gen BLF-CRYPT "$long"

# Derived rows: doveadm only writes \$2y\$, {CRYPT} as bcrypt and digests in base64 by default.
echo "# Derived: doveadm output relabelled (\$2a\$/\$2b\$, {CRYPT} on \$6\$/\$5\$/\$1\$, hex without .HEX)." >>"$tmp"
for pw in "$ascii" "$unicode"; do
    blf="$(doveadm pw -s BLF-CRYPT -p "$pw")"
    row BLF-CRYPT "$pw" "{BLF-CRYPT}\$2a\$$(printf '%s' "$blf" | cut -c16-)"
    row BLF-CRYPT "$pw" "{BLF-CRYPT}\$2b\$$(printf '%s' "$blf" | cut -c16-)"
    for scheme in SHA512-CRYPT SHA256-CRYPT MD5-CRYPT; do
        row CRYPT "$pw" "$(relabel '{CRYPT}' "$(doveadm pw -s "$scheme" -p "$pw")")"
    done
    for scheme in SHA512 SHA256 SHA; do
        row "$scheme" "$pw" "$(relabel "{$scheme}" "$(doveadm pw -s "$scheme.HEX" -p "$pw")")"
    done
done

mv "$tmp" "$out"
trap - EXIT
echo "wrote $out"
