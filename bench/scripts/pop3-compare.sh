#!/bin/bash
# pop3-compare.sh - POP3: one session retrieves and deletes MESSAGES messages of SIZE bytes, Osprey against
# Dovecot (ISPmail baseline from ../shared/peers), on one machine, in one run. Run as root on Debian 12.
#
#   bash bench/scripts/pop3-compare.sh
#   MESSAGES=1000 ROUNDS=1 SKIP_PEERS=1 bash bench/scripts/pop3-compare.sh
#
# Settings (environment): MESSAGES=5000 SIZE=5120 ROUNDS=3 OSPREY_POP3_PORT=21110 OSPREY_HEAP=256m SKIP_PEERS=0
# TMP_BASE=/var/tmp
set -euo pipefail
MESSAGES=${MESSAGES:-5000}
SIZE=${SIZE:-5120}
ROUNDS=${ROUNDS:-3}
OSPREY_POP3_PORT=${OSPREY_POP3_PORT:-21110}
OSPREY_HEAP=${OSPREY_HEAP:-256m}
SKIP_PEERS=${SKIP_PEERS:-0}
TMP_BASE=${TMP_BASE:-/var/tmp}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers/ispmail-baseline.sh}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OSPREY_JAR=$ROOT/server/target/osprey.jar
BENCH_JAR=$ROOT/bench/target/osprey-bench.jar
DOMAIN=example.org
USER_LOCAL=pop3bench
PASSWORD=secret
say() { printf '%s\n' "$*"; }
die() { printf 'pop3-compare: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root"
[ -f "$OSPREY_JAR" ] && [ -f "$BENCH_JAR" ] || die "build first: mvn -B install -DskipTests"

if [ "$SKIP_PEERS" != 1 ]; then
  mkdir -p /etc/mysql/mariadb.conf.d
  bash "$PEERS" >"$TMP_BASE/pop3bench-peers.log" 2>&1 || die "peer setup failed ($TMP_BASE/pop3bench-peers.log)"
fi
[ -f /run/dovecot/master.pid ] && kill -0 "$(cat /run/dovecot/master.pid)" || die "Dovecot is not running"

# one maildir filler for both sides: Dovecot-style names, LF line endings, SIZE bytes each
fill() { # dir owner
  python3 - "$1" "$MESSAGES" "$SIZE" <<'PY'
import os, sys, time
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for sub in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(d, sub), exist_ok=True)
now = int(time.time())
for i in range(n):
    head = "From: bench@example.net\nTo: pop3bench@example.org\nSubject: message %d\n\n" % i
    line = ("." if i % 7 == 0 else "x") + "y" * 75 + "\n"
    body = line * max(1, (size - len(head)) // len(line))
    text = (head + body).encode()
    vsize = len(text) + text.count(b"\n")
    name = "%d.M%dP%d.bench,S=%d,W=%d:2," % (now, i, os.getpid(), len(text), vsize)
    with open(os.path.join(d, "cur", name), "wb") as f:
        f.write(text)
PY
  chown -R "$2" "$1"
}

dc_hash=$(doveadm pw -s BLF-CRYPT -p "$PASSWORD")
echo "INSERT INTO virtual_users (domain_id, email, password, quota)
      SELECT id, '$USER_LOCAL@$DOMAIN', '$dc_hash', 0 FROM virtual_domains WHERE name = '$DOMAIN'
      ON DUPLICATE KEY UPDATE password = VALUES(password);" | mariadb -u root mailserver
DC_MAILDIR=/var/vmail/$DOMAIN/$USER_LOCAL/Maildir

work=$(mktemp -d "$TMP_BASE/osprey-pop3-bench.XXXXXX")
osprey_pid=""
cleanup() {
  [ -n "$osprey_pid" ] && kill "$osprey_pid" 2>/dev/null && wait "$osprey_pid" 2>/dev/null || true
  rm -rf "$work" "/var/vmail/$DOMAIN/$USER_LOCAL"
}
trap cleanup EXIT
cat >"$work/osprey.toml" <<EOT
data_dir = "$work/data"
hostname = "osprey.bench.test"
[store]
root = "$work/vmail"
[listen]
smtp = []
submission = []
submissions = []
imap = []
imaps = []
pop3 = ["127.0.0.1:$OSPREY_POP3_PORT"]
pop3s = []
managesieve = []
web = []
[directory]
password_scheme = "BLF-CRYPT"
[auth]
# Dovecot takes USER/PASS without TLS from 127.0.0.1 (loopback counts as secure); Osprey needs this to match.
allow_plaintext_without_tls = true
EOT
osprey() { "$JAVA" -jar "$OSPREY_JAR" "$@" --config "$work/osprey.toml"; }
osprey domain add "$DOMAIN" >/dev/null
echo "$PASSWORD" | osprey user add "$USER_LOCAL@$DOMAIN" --password-stdin >/dev/null
OS_MAILDIR=$work/vmail/$DOMAIN/$USER_LOCAL/Maildir
"$JAVA" -Xmx"$OSPREY_HEAP" --enable-native-access=ALL-UNNAMED -jar "$OSPREY_JAR" run --config "$work/osprey.toml" \
  >"$work/osprey.log" 2>&1 &
osprey_pid=$!
for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$OSPREY_POP3_PORT") 2>/dev/null && break; sleep 0.1; done

say "== POP3: $MESSAGES messages of $SIZE bytes, one session: RETR + DELE each (pipelined), QUIT; $ROUNDS rounds"
say "   Osprey $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), Dovecot $(dovecot --version);" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
load() { "$JAVA" -cp "$BENCH_JAR" org.osprey.bench.Pop3Load 127.0.0.1 "$1" "$USER_LOCAL@$DOMAIN" "$PASSWORD"; }
rate() { sed -n 's/.*rate=\([0-9.]*\).*/\1/p' <<<"$1"; }
dc_rates=(); os_rates=()
for round in $(seq "$ROUNDS"); do
  rm -rf "$DC_MAILDIR"; fill "$DC_MAILDIR" vmail:vmail
  rm -rf "$OS_MAILDIR"; fill "$OS_MAILDIR" root:root
  dc=$(load 110); os=$(load "$OSPREY_POP3_PORT")
  say "round $round  dovecot $dc"
  say "round $round  osprey  $os"
  dc_rates+=("$(rate "$dc")"); os_rates+=("$(rate "$os")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
dm=$(median "${dc_rates[@]}"); om=$(median "${os_rates[@]}")
say "pop3  dovecot $dm msg/s, osprey $om msg/s (medians), ratio osprey/dovecot $(awk -v o="$om" -v d="$dm" \
    'BEGIN {printf "%.2fx", o / d}') (target >= 1)"
say "   load average $(cut -d' ' -f1-3 /proc/loadavg)"
