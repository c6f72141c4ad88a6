#!/bin/bash
# sieve-compare.sh - delivery throughput with a 20-rule user Sieve script against delivery without one, one
# Osprey, one run, alternating (target: within 10%). Needs no peers. See bench/README.md.
#
#   bash bench/scripts/sieve-compare.sh
#   MESSAGES=1000 ROUNDS=1 bash bench/scripts/sieve-compare.sh
#
# Settings (environment): SESSIONS=20 MESSAGES=5000 SIZE=5120 ROUNDS=3 WARMUP=2000 OSPREY_PORT=2535
# OSPREY_HEAP=256m TMP_BASE=/var/tmp KEEP_TMP=0
set -euo pipefail
SESSIONS=${SESSIONS:-20}
MESSAGES=${MESSAGES:-5000}
SIZE=${SIZE:-5120}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-2000}
OSPREY_PORT=${OSPREY_PORT:-2535}
OSPREY_HEAP=${OSPREY_HEAP:-256m}
TMP_BASE=${TMP_BASE:-/var/tmp}
KEEP_TMP=${KEEP_TMP:-0}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OSPREY_JAR=$ROOT/server/target/osprey.jar
BENCH_JAR=$ROOT/bench/target/osprey-bench.jar
say() { printf '%s\n' "$*"; }
die() { printf 'sieve-compare: %s\n' "$*" >&2; exit 1; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
[ -f "$OSPREY_JAR" ] && [ -f "$BENCH_JAR" ] || die "build first: mvn -B install -DskipTests"
ss -ltnH "sport = :$OSPREY_PORT" | grep -q . && die "port $OSPREY_PORT is taken; set OSPREY_PORT"

work=$(mktemp -d "$TMP_BASE/osprey-sieve-bench.XXXXXX")
osprey_pid=""
cleanup() {
  if [ -n "$osprey_pid" ] && kill -0 "$osprey_pid" 2>/dev/null; then
    kill -TERM "$osprey_pid"
    for _ in $(seq 150); do kill -0 "$osprey_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$osprey_pid" 2>/dev/null && kill -KILL "$osprey_pid"
  fi
  if [ "$KEEP_TMP" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/osprey.toml" <<EOF
data_dir = "$work/data"
hostname = "osprey.bench.test"
[store]
root = "$work/vmail"
[listen]
smtp = ["127.0.0.1:$OSPREY_PORT"]
submission = []
submissions = []
imap = []
imaps = []
pop3 = []
pop3s = []
managesieve = []
web = []
EOF
cli() { "$JAVA" -jar "$OSPREY_JAR" "$@" --config "$work/osprey.toml" >/dev/null; }
cli domain add example.org
echo secret | cli user add plain@example.org --password-stdin
echo secret | cli user add sieved@example.org --password-stdin

# The user script: 20 rules of the kinds people write (lists, senders, subjects, sizes, flags), none of which
# matches the benchmark's messages, so every message still lands in INBOX/new where smtp-source counts it. It is
# put where ManageSieve would put it (Pigeonhole's layout): ~/sieve/rules.sieve and the ~/.dovecot.sieve link.
home=$work/vmail/example.org/sieved
mkdir -p "$home/sieve"
{
  echo 'require ["fileinto", "imap4flags", "envelope", "body", "variables", "relational", "regex", "comparator-i;ascii-numeric"];'
  for i in $(seq 1 6); do
    echo "if header :contains \"List-Id\" \"list$i.example.net\" { fileinto \"Lists.l$i\"; stop; }"
  done
  for i in $(seq 1 5); do
    echo "if address :domain :is \"from\" \"vendor$i.example\" { fileinto \"Vendors\"; addflag \"\\\\Flagged\"; }"
  done
  for i in $(seq 1 4); do
    echo "if header :matches \"Subject\" \"*[ticket-$i*]*\" { fileinto \"Tickets\"; stop; }"
  done
  echo 'if envelope :is "from" "boss@corp.example" { addflag "\\Flagged"; }'
  echo 'if size :over 20M { fileinto "Large"; stop; }'
  echo 'if header :value "gt" :comparator "i;ascii-numeric" "X-Priority" "4" { fileinto "Low"; }'
  echo 'if body :contains "unsubscribe-me-now-xyz" { fileinto "Junk"; stop; }'
  echo 'if header :regex "Subject" "^\\[(alert|alarm)-[0-9]+\\]" { set "kind" "${1}"; fileinto "Alerts"; }'
} >"$home/sieve/rules.sieve"
ln -s sieve/rules.sieve "$home/.dovecot.sieve"
rules=$(grep -c '^if ' "$home/sieve/rules.sieve")

"$JAVA" -Xmx"$OSPREY_HEAP" -jar "$OSPREY_JAR" run --config "$work/osprey.toml" >"$work/osprey.log" 2>&1 &
osprey_pid=$!
for _ in $(seq 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$OSPREY_PORT") 2>/dev/null && break
  kill -0 "$osprey_pid" 2>/dev/null || { tail -20 "$work/osprey.log" >&2; die "Osprey did not start"; }
  sleep 0.1
done

run_one() { # user count -> R_RATE
  local user=$1 count=$2 out maildir=$work/vmail/example.org/$1/Maildir
  rm -rf "$maildir"
  out=$("$JAVA" -jar "$BENCH_JAR" -s "$SESSIONS" -m "$count" -l "$SIZE" -t "$user@example.org" \
        --maildir "$maildir" --wait 1800 "127.0.0.1:$OSPREY_PORT") || { say "$out" >&2; die "smtp-source failed"; }
  R_SECS=$(sed -n 's/.*delivered_seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  R_RATE=$(awk -v n="$count" -v s="$R_SECS" 'BEGIN{printf "%.1f", n/s}')
}

check_script() {
  if grep -q "does not compile" "$work/osprey.log"; then
    grep -m1 "does not compile" "$work/osprey.log" >&2
    die "the benchmark's script does not compile"
  fi
}
say "== Sieve at delivery: $MESSAGES x $SIZE bytes over $SESSIONS sessions, to plain@ (no script) and to"
say "   sieved@ ($rules rules, none matching); $ROUNDS rounds, alternating; load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$WARMUP" -gt 0 ]; then
  run_one plain "$WARMUP"; run_one sieved "$WARMUP"
  check_script
  say "   warm-up: $WARMUP messages to each (not counted)"
fi
plain_rates="" sieved_rates="" ratios=""
for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then order="plain sieved"; else order="sieved plain"; fi
  for who in $order; do
    run_one "$who" "$MESSAGES"
    say "round $round  $(printf '%-7s' "$who") $MESSAGES delivered in $(printf '%6.2f' "$R_SECS") s: $R_RATE msg/s"
    if [ "$who" = plain ]; then p=$R_RATE; else s=$R_RATE; fi
  done
  ratio=$(awk -v a="$s" -v b="$p" 'BEGIN{printf "%.3f", a/b}')
  plain_rates+=" $p" sieved_rates+=" $s" ratios+=" $ratio"
  say "round $round  with/without the script: $ratio"
done
check_script
say "== medians over $ROUNDS rounds"
say "without a script  $(median <<<"$plain_rates") msg/s"
say "with $rules rules     $(median <<<"$sieved_rates") msg/s"
say "ratio with/without $(median <<<"$ratios") (target >= 0.90)"
grep -E " (WARN|ERROR) " "$work/osprey.log" | head -5 || true
