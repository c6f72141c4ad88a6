#!/bin/bash
# smtp-compare.sh - SMTP in -> file in the recipient's Maildir: Osprey against Postfix -> Dovecot LMTP,
# on one machine, in one run, alternating. Run as root on Debian 12. See bench/README.md.
#
#   bash bench/scripts/smtp-compare.sh                    # 3 rounds of 5000 x 5 KB over 20 sessions
#   MESSAGES=500 ROUNDS=1 bash bench/scripts/smtp-compare.sh
#
# Settings (environment): SESSIONS=20 MESSAGES=5000 SIZE=5120 ROUNDS=3 WARMUP=500 OSPREY_PORT=2525
# OSPREY_HEAP=256m OSPREY_JAVA_OPTS="" SKIP_PEERS=0 BUILD=0 KEEP_TMP=0 TMP_BASE=/var/tmp
set -euo pipefail

SESSIONS=${SESSIONS:-20}
MESSAGES=${MESSAGES:-5000}
SIZE=${SIZE:-5120}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-500}
OSPREY_PORT=${OSPREY_PORT:-2525}
OSPREY_HEAP=${OSPREY_HEAP:-256m}
OSPREY_JAVA_OPTS=${OSPREY_JAVA_OPTS:-}
SKIP_PEERS=${SKIP_PEERS:-0}
BUILD=${BUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
# Same file system as /var/vmail and /var/spool/postfix, so every fsync costs the same (/tmp may be tmpfs).
TMP_BASE=${TMP_BASE:-/var/tmp}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers/ispmail-baseline.sh}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
OSPREY_JAR=$ROOT/server/target/osprey.jar
BENCH_JAR=$ROOT/bench/target/osprey-bench.jar
RCPT=john@example.org
PF_MAILDIR=/var/vmail/example.org/john/Maildir
HZ=$(getconf CLK_TCK)

say() { printf '%s\n' "$*"; }
die() { printf 'smtp-compare: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it sets up Postfix and Dovecot and reads their /proc entries)"

# ------------------------------------------------------------------ build
if [ "$BUILD" = 1 ] || [ ! -f "$OSPREY_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  say "== building (mvn install -DskipTests)"
  (cd "$ROOT" && MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -o install -DskipTests -q) \
    || die "build failed"
fi

# ------------------------------------------------------------------ peers
if [ "$SKIP_PEERS" != 1 ]; then
  say "== setting up Postfix + Dovecot with $PEERS"
  skip_apt=0   # apt-get only when a package is missing
  pkgs="postfix postfix-mysql dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-mysql mariadb-server"
  installed=$(dpkg-query -W -f='${Status}\n' $pkgs 2>/dev/null | grep -c 'install ok installed' || true)
  [ "$installed" = "$(wc -w <<<"$pkgs")" ] && skip_apt=1
  # The peer script writes /etc/mysql/mariadb.conf.d/60-ispmail-baseline.cnf; on machines whose MariaDB
  # came with a bare /etc/mysql/my.cnf that directory is missing and the script stops there.
  mkdir -p /etc/mysql/mariadb.conf.d
  peers_log=$(mktemp /tmp/smtp-compare-peers.XXXXXX.log)
  if ! SKIP_APT=$skip_apt bash "$PEERS" >"$peers_log" 2>&1; then
    tail -20 "$peers_log" >&2
    die "peer setup failed (log: $peers_log)"
  fi
  say "   ok (log: $peers_log)"
fi
pf_master() { tr -d ' \n' </var/spool/postfix/pid/master.pid; }
dc_master() { cat /run/dovecot/master.pid; }
kill -0 "$(pf_master)" 2>/dev/null || die "Postfix master is not running"
kill -0 "$(dc_master)" 2>/dev/null || die "Dovecot master is not running"

# ------------------------------------------------------------------ Osprey
ss -ltnH "sport = :$OSPREY_PORT" | grep -q . && die "port $OSPREY_PORT is taken; set OSPREY_PORT"
work=$(mktemp -d "$TMP_BASE/osprey-bench.XXXXXX")
[ "$(stat -c %d "$work")" = "$(stat -c %d /var/vmail)" ] \
  || say "   note: $work is not on the file system of /var/vmail; fsync costs may differ"
OS_MAILDIR=$work/vmail/example.org/john/Maildir
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
# written by smtp-compare.sh: SMTP on loopback only, everything else off
data_dir = "$work/data"
hostname = "osprey.bench.test"
[database]
url = "jdbc:sqlite:$work/data/osprey.db"
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
say "== starting Osprey (-Xmx$OSPREY_HEAP) on 127.0.0.1:$OSPREY_PORT, data in $work"
"$JAVA" -jar "$OSPREY_JAR" domain add example.org --config "$work/osprey.toml" >/dev/null
echo secret | "$JAVA" -jar "$OSPREY_JAR" user add "$RCPT" --password-stdin --config "$work/osprey.toml" >/dev/null
# shellcheck disable=SC2086
"$JAVA" -Xmx"$OSPREY_HEAP" $OSPREY_JAVA_OPTS -jar "$OSPREY_JAR" run --config "$work/osprey.toml" \
  >"$work/osprey.log" 2>&1 &
osprey_pid=$!
for _ in $(seq 600); do
  (exec 3<>"/dev/tcp/127.0.0.1/$OSPREY_PORT") 2>/dev/null && break
  kill -0 "$osprey_pid" 2>/dev/null || { tail -20 "$work/osprey.log" >&2; die "Osprey did not start"; }
  sleep 0.1
done
say "   pid $osprey_pid"

[ "$(doveconf -h mail_fsync)" != never ] || die "Dovecot runs with mail_fsync = never; the comparison needs fsync on"
say "== fsync on: Postfix fsyncs each queue file before 250 (no setting);" \
    "Dovecot mail_fsync = $(doveconf -h mail_fsync) (message file, then new/);" \
    "Osprey always (spool file + queue dir before 250, Maildir file + new/ on delivery)"

# ------------------------------------------------------------------ CPU accounting
# Ticks (utime+stime+cutime+cstime from /proc/PID/stat) of the given processes and all their live
# descendants. cutime/cstime of a parent hold the whole CPU time of children it has reaped, so a child
# (smtpd, cleanup, lmtp, ...) that exits between two samples is still counted: before, through its own
# entry; after, through its parent's cutime.
tree_ticks() {
  local -A parent=() ticks=() in=()
  local f line pid rest n changed total=0
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    pid=${line%% *}
    rest=${line##*) }               # fields after "(comm) ": state ppid ... utime(12) stime cutime cstime
    read -r -a n <<<"$rest"
    parent[$pid]=${n[1]}
    ticks[$pid]=$(( n[11] + n[12] + n[13] + n[14] ))
  done
  for pid in "$@"; do in[$pid]=1; done
  changed=1
  while [ $changed = 1 ]; do
    changed=0
    for pid in "${!parent[@]}"; do
      if [ -z "${in[$pid]:-}" ] && [ -n "${in[${parent[$pid]}]:-}" ]; then in[$pid]=1; changed=1; fi
    done
  done
  for pid in "${!in[@]}"; do total=$(( total + ${ticks[$pid]:-0} )); done
  echo "$total"
}
mariadb_pid() { pgrep -o -x mariadbd || pgrep -o -x mysqld || echo 1; }

# ------------------------------------------------------------------ one run
# run_one NAME PORT MAILDIR COUNT PID... : clears the Maildir, sends COUNT messages, waits until
# MAILDIR/new holds them all; sets R_RATE (delivered msgs/s), R_CPU (server CPU ms per message),
# R_DB (MariaDB CPU ms per message), R_SECS, R_LINE.
run_one() {
  local name=$1 port=$2 maildir=$3 count=$4; shift 4
  local out rc c0 c1 d0 d1 secs accepted
  if [ "$name" = postfix+dovecot ]; then
    for _ in $(seq 600); do [ -z "$(postqueue -j 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  rm -rf "$maildir"
  sync; sleep 1
  d0=$(tree_ticks "$(mariadb_pid)")
  c0=$(tree_ticks "$@")
  set +e
  out=$("$JAVA" -jar "$BENCH_JAR" -s "$SESSIONS" -m "$count" -l "$SIZE" -t "$RCPT" \
        --maildir "$maildir" --wait 1800 "127.0.0.1:$port")
  rc=$?
  set -e
  c1=$(tree_ticks "$@")
  d1=$(tree_ticks "$(mariadb_pid)")
  if [ $rc != 0 ]; then
    say "$out" >&2
    die "$name: smtp-source exited with $rc"
  fi
  secs=$(sed -n 's/.*delivered_seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  accepted=$(sed -n 's/.*accepted=\([0-9]*\).*/\1/p' <<<"$out")
  R_SECS=$secs
  R_RATE=$(awk -v n="$count" -v s="$secs" 'BEGIN{printf "%.1f", n/s}')
  R_CPU=$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v n="$count" 'BEGIN{printf "%.2f", t*1000/hz/n}')
  R_DB=$(awk -v t=$((d1 - d0)) -v hz="$HZ" -v n="$count" 'BEGIN{printf "%.2f", t*1000/hz/n}')
  R_LINE=$(printf '%-16s accepted %s, delivered %s in %6.2f s: %7.1f msg/s, CPU %5.2f ms/msg (MariaDB %s ms/msg)' \
    "$name" "$accepted" "$count" "$secs" "$R_RATE" "$R_CPU" "$R_DB")
}
run_postfix() { run_one postfix+dovecot 25 "$PF_MAILDIR" "$1" "$(pf_master)" "$(dc_master)"; }
run_osprey() { run_one osprey "$OSPREY_PORT" "$OS_MAILDIR" "$1" "$osprey_pid"; }

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END{if (NR%2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }

# ------------------------------------------------------------------ rounds
say "== $ROUNDS rounds: $SESSIONS sessions, $MESSAGES messages of $SIZE bytes, to $RCPT; $(nproc) cores"
if [ "$WARMUP" -gt 0 ]; then
  say "   warm-up: $WARMUP messages to each (not counted)"
  run_postfix "$WARMUP"
  run_osprey "$WARMUP"
fi
pf_rates="" pf_cpus="" os_rates="" os_cpus="" ratios="" cpu_ratios=""
for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then order="postfix osprey"; else order="osprey postfix"; fi
  for who in $order; do
    "run_$who" "$MESSAGES"
    say "round $round  $R_LINE  load $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ "$who" = postfix ]; then pr=$R_RATE pc=$R_CPU; else orate=$R_RATE oc=$R_CPU; fi
  done
  ratio=$(awk -v a="$orate" -v b="$pr" 'BEGIN{printf "%.2f", a/b}')
  cratio=$(awk -v a="$pc" -v b="$oc" 'BEGIN{printf "%.2f", a/b}')
  say "round $round  ratio osprey/postfix+dovecot: throughput ${ratio}x, CPU per message ${cratio}x less"
  pf_rates+=" $pr" pf_cpus+=" $pc" os_rates+=" $orate" os_cpus+=" $oc" ratios+=" $ratio" cpu_ratios+=" $cratio"
done

say "== medians over $ROUNDS rounds ($SESSIONS sessions, $MESSAGES x $SIZE bytes, Osprey -Xmx$OSPREY_HEAP)"
say "postfix+dovecot  $(median <<<"$pf_rates") msg/s delivered, $(median <<<"$pf_cpus") CPU ms/msg"
say "osprey           $(median <<<"$os_rates") msg/s delivered, $(median <<<"$os_cpus") CPU ms/msg"
say "ratio osprey/postfix+dovecot  throughput $(median <<<"$ratios")x (target >= 2), CPU per message $(median <<<"$cpu_ratios")x less"
say "load average $(cut -d' ' -f1-3 /proc/loadavg); Osprey RSS $(awk '/VmRSS/{print $2, $3}' "/proc/$osprey_pid/status")"
