#!/bin/bash
# submission-compare.sh - outbound: authenticated clients submit mail for a remote domain, the server relays it
# to Postfix's smtp-sink on loopback; time until the sink has every message. Osprey against Postfix (ISPmail
# baseline from ../shared/peers plus a submission service on 587), one machine, one run, taking turns.
# Run as root on Debian 12. See bench/README.md.
#
#   bash bench/scripts/submission-compare.sh                          # 3 rounds, 10 sessions, 5000 x 5 KB
#   ROUNDS=1 MESSAGES=500 bash bench/scripts/submission-compare.sh    # a quick look
#
# Settings (environment): SESSIONS=10 MESSAGES=5000 SIZE=5120 ROUNDS=3 WARMUP=2*MESSAGES WAIT=900
# OSPREY_PORT=15587 PF_SINK_PORT=19025 OS_SINK_PORT=19026 OSPREY_HEAP=256m OSPREY_JAVA_OPTS="" SKIP_PEERS=0
# KEEP_TMP=0 TMP_BASE=/var/tmp
#
# What it changes in the Postfix of the baseline, and leaves in place (port 25 and Dovecot are untouched):
#   master.cf  a "submission" service (587 on loopback, as inet_interfaces = loopback-only) with TLS required,
#              SASL through Dovecot, relaying and sending only for logged-in users whose login owns the sender
#              (smtpd_sender_login_maps = mysql:/etc/postfix/mysql-email2email.cf), the ISPmail way
#   main.cf    transport_maps = inline:{ sink.example=smtp:[127.0.0.1]:PF_SINK_PORT }: only that domain goes out,
#              everything else still meets default_transport = error:
set -euo pipefail

SESSIONS=${SESSIONS:-10}
MESSAGES=${MESSAGES:-5000}
SIZE=${SIZE:-5120}
ROUNDS=${ROUNDS:-3}
# Uncounted messages to each side first. Osprey's per-message code is compiled by C2 only after some 10,000
# messages (its CPU per message falls from ~1.9 ms in the first 5,000 to ~0.8 ms); a mail server runs warm.
WARMUP=${WARMUP:-$((2 * MESSAGES))}
WAIT=${WAIT:-900}
OSPREY_PORT=${OSPREY_PORT:-15587}
PF_SINK_PORT=${PF_SINK_PORT:-19025}
OS_SINK_PORT=${OS_SINK_PORT:-19026}
OSPREY_HEAP=${OSPREY_HEAP:-256m}
OSPREY_JAVA_OPTS=${OSPREY_JAVA_OPTS:-}
SKIP_PEERS=${SKIP_PEERS:-0}
KEEP_TMP=${KEEP_TMP:-0}
# Same file system as /var/spool/postfix, so the fsyncs of both queues cost the same (/tmp may be tmpfs).
TMP_BASE=${TMP_BASE:-/var/tmp}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers/ispmail-baseline.sh}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
OSPREY_JAR=$ROOT/server/target/osprey.jar
BENCH_JAR=$ROOT/bench/target/osprey-bench.jar
DOMAIN=example.org
LOGIN=john@$DOMAIN
PASSWORD=secret
SINK_DOMAIN=sink.example
RCPT=user@$SINK_DOMAIN
# The same certificate on both sides (RSA 2048), so the handshakes cost the same.
CERT=/etc/ssl/certs/ssl-cert-snakeoil.pem
KEY=/etc/ssl/private/ssl-cert-snakeoil.key
PF_LOG=/var/log/postfix.log
HZ=$(getconf CLK_TCK)

say() { printf '%s\n' "$*"; }
die() { printf 'submission-compare: %s\n' "$*" >&2; exit 1; }
# listening PORT [ADDRESS]: something listens on the TCP port (on that address). No "| grep -q": grep leaving
# early can end ss with SIGPIPE, which pipefail reports as a failure.
listening() { [[ "$(ss -ltnH "sport = :$1")" == *"${2:-}:$1 "* ]]; }

[ "$(id -u)" = 0 ] || die "run as root (it configures Postfix and reads its /proc entries)"
[ -f "$OSPREY_JAR" ] && [ -f "$BENCH_JAR" ] \
  || die "build first: mvn -B install -DskipTests (missing $OSPREY_JAR or $BENCH_JAR)"
command -v smtp-sink >/dev/null || die "smtp-sink is missing (Debian package postfix)"

# ------------------------------------------------------------------ peers
if [ "$SKIP_PEERS" != 1 ]; then
  say "== setting up Postfix + Dovecot with $PEERS"
  skip_apt=0   # apt-get only when a package is missing
  pkgs="postfix postfix-mysql dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-mysql mariadb-server"
  installed=$(dpkg-query -W -f='${Status}\n' $pkgs 2>/dev/null | grep -c 'install ok installed' || true)
  [ "$installed" = "$(wc -w <<<"$pkgs")" ] && skip_apt=1
  # The peer script writes into /etc/mysql/mariadb.conf.d, which a bare MariaDB install may lack.
  mkdir -p /etc/mysql/mariadb.conf.d
  peers_log=$(mktemp /tmp/submission-compare-peers.XXXXXX.log)
  if ! SKIP_APT=$skip_apt bash "$PEERS" >"$peers_log" 2>&1; then
    tail -20 "$peers_log" >&2
    die "peer setup failed (log: $peers_log)"
  fi
  say "   ok (log: $peers_log)"
fi
pf_master() { tr -d ' \n' </var/spool/postfix/pid/master.pid; }
dc_master() { cat /run/dovecot/master.pid; }
kill -0 "$(pf_master)" 2>/dev/null || die "Postfix master is not running"
kill -0 "$(dc_master)" 2>/dev/null || die "Dovecot master is not running (it does Postfix's SASL)"

# ------------------------------------------------------------------ Postfix submission + sink route
say "== Postfix: submission on 127.0.0.1:587, $SINK_DOMAIN -> smtp:[127.0.0.1]:$PF_SINK_PORT"
postconf -M submission/inet="submission inet n - y - - smtpd"
postconf -P \
  "submission/inet/syslog_name=postfix/submission" \
  "submission/inet/smtpd_tls_security_level=encrypt" \
  "submission/inet/smtpd_tls_auth_only=yes" \
  "submission/inet/smtpd_sasl_auth_enable=yes" \
  "submission/inet/smtpd_reject_unlisted_recipient=no" \
  "submission/inet/smtpd_client_restrictions=" \
  "submission/inet/smtpd_helo_restrictions=" \
  "submission/inet/smtpd_sender_login_maps=mysql:/etc/postfix/mysql-email2email.cf" \
  "submission/inet/smtpd_sender_restrictions=reject_sender_login_mismatch,permit_sasl_authenticated,reject" \
  "submission/inet/smtpd_recipient_restrictions=permit_sasl_authenticated,reject" \
  "submission/inet/smtpd_relay_restrictions=permit_sasl_authenticated,reject" \
  "submission/inet/milter_macro_daemon_name=ORIGINATING"
postconf -e "transport_maps = inline:{ $SINK_DOMAIN=smtp:[127.0.0.1]:$PF_SINK_PORT }"
[ "$(postmap -q "$SINK_DOMAIN" "$(postconf -h transport_maps)")" = "smtp:[127.0.0.1]:$PF_SINK_PORT" ] \
  || die "transport_maps does not route $SINK_DOMAIN: $(postconf transport_maps)"
[ "$(postmap -q "$LOGIN" mysql:/etc/postfix/mysql-email2email.cf)" = "$LOGIN" ] \
  || die "mysql-email2email.cf does not map $LOGIN to itself"
postfix check
postfix reload >/dev/null 2>&1
for _ in $(seq 100); do listening 587 127.0.0.1 && break; sleep 0.1; done
listening 587 127.0.0.1 || die "Postfix does not listen on 127.0.0.1:587"

# Mail for the sink domain left in the queue by an aborted run would reach a later sink and be counted there.
stale=$(postqueue -j 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    rcpts = [r["address"] for r in m.get("recipients", [])]
    if rcpts and all(a.lower().endswith("@'"$SINK_DOMAIN"'") for a in rcpts):
        print(m["queue_id"])')
if [ -n "$stale" ]; then
  say "   removing $(wc -l <<<"$stale") stale message(s) for $SINK_DOMAIN from the Postfix queue"
  postsuper -d - <<<"$stale" >/dev/null 2>&1
fi

# ------------------------------------------------------------------ Osprey
for p in "$OSPREY_PORT" "$PF_SINK_PORT" "$OS_SINK_PORT"; do
  listening "$p" && die "port $p is taken; set OSPREY_PORT / PF_SINK_PORT / OS_SINK_PORT"
done
work=$(mktemp -d "$TMP_BASE/osprey-submission-bench.XXXXXX")
[ "$(stat -c %d "$work")" = "$(stat -c %d /var/spool/postfix)" ] \
  || say "   note: $work is not on the file system of /var/spool/postfix; fsync costs may differ"
osprey_pid=""
sink_pid=""
stop_pid() {  # pid: TERM, up to 15 s, then KILL
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid"
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$sink_pid"
  stop_pid "$osprey_pid"
  if [ "$KEEP_TMP" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/osprey.toml" <<EOF
# written by submission-compare.sh: submission on loopback only, everything else off
data_dir = "$work/data"
hostname = "osprey.bench.test"
[database]
url = "jdbc:sqlite:$work/data/osprey.db"
[store]
root = "$work/vmail"
[listen]
smtp = []
submission = ["127.0.0.1:$OSPREY_PORT"]
submissions = []
imap = []
imaps = []
pop3 = []
pop3s = []
managesieve = []
web = []
[tls]
cert = "$CERT"
key = "$KEY"
[directory]
# as Dovecot's passdb in the baseline
password_scheme = "BLF-CRYPT"
[delivery.routes]
"$SINK_DOMAIN" = "127.0.0.1:$OS_SINK_PORT"
EOF
osprey() { "$JAVA" -jar "$OSPREY_JAR" "$@" --config "$work/osprey.toml"; }
osprey domain add "$DOMAIN" >/dev/null
echo "$PASSWORD" | osprey user add "$LOGIN" --password-stdin >/dev/null
say "== starting Osprey (-Xmx$OSPREY_HEAP) with submission on 127.0.0.1:$OSPREY_PORT, data in $work"
# shellcheck disable=SC2086
"$JAVA" -Xmx"$OSPREY_HEAP" --enable-native-access=ALL-UNNAMED $OSPREY_JAVA_OPTS -jar "$OSPREY_JAR" run \
  --config "$work/osprey.toml" >"$work/osprey.log" 2>&1 &
osprey_pid=$!
for _ in $(seq 600); do
  listening "$OSPREY_PORT" && break
  kill -0 "$osprey_pid" 2>/dev/null || { tail -20 "$work/osprey.log" >&2; die "Osprey did not start"; }
  sleep 0.1
done
listening "$OSPREY_PORT" || { tail -20 "$work/osprey.log" >&2; die "Osprey does not listen"; }
say "   pid $osprey_pid"

# ------------------------------------------------------------------ CPU accounting (as in smtp-compare.sh)
# Ticks (utime+stime+cutime+cstime from /proc/PID/stat) of the given processes and all their live
# descendants; a child that exits between two samples is counted through its parent's cutime/cstime.
tree_ticks() {
  local -A parent=() ticks=() in=()
  local f line pid rest n changed total=0
  for f in /proc/[0-9]*/stat; do
    { read -r line <"$f"; } 2>/dev/null || continue
    pid=${line%% *}
    rest=${line##*) }
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
# start_sink PORT LOG: a fresh smtp-sink (fresh counter) writing its -c counters to LOG; sets sink_pid.
start_sink() {
  local port=$1 log=$2
  smtp-sink -u nobody -c "127.0.0.1:$port" 1000 >"$log" 2>"$log.err" &
  sink_pid=$!
  for _ in $(seq 100); do listening "$port" && return 0; sleep 0.05; done
  cat "$log.err" >&2
  die "smtp-sink did not listen on 127.0.0.1:$port"
}

# run_one NAME PORT SINKPORT COUNT PID...: sends COUNT messages over SESSIONS sessions with STARTTLS + AUTH
# and waits until the sink has them all; sets R_RATE (msg/s until the sink had all), R_SECS, R_CPU (server
# CPU ms per message), R_DB (MariaDB), R_LINE, R_NOTE (deferrals, errors).
run_one() {
  local name=$1 port=$2 sink_port=$3 count=$4; shift 4
  local log=$work/sink-$name-$RUN.log out rc c0 c1 d0 d1 accepted smtp_secs pf_off os_off got
  RUN=$((RUN + 1))
  if [ "$name" = postfix ]; then
    for _ in $(seq 600); do [ -z "$(postqueue -j 2>/dev/null)" ] && break; sleep 0.1; done
    [ -z "$(postqueue -j 2>/dev/null)" ] || { postqueue -p | tail -5 >&2; die "the Postfix queue does not empty"; }
  fi
  start_sink "$sink_port" "$log"
  # Postfix's smtp client caches connections for 2 s; none of the last run's may be left.
  sync; sleep 2.5
  pf_off=$(stat -c %s "$PF_LOG" 2>/dev/null || echo 0)
  os_off=$(stat -c %s "$work/osprey.log")
  d0=$(tree_ticks "$(mariadb_pid)")
  c0=$(tree_ticks "$@")
  set +e
  out=$("$JAVA" -jar "$BENCH_JAR" -s "$SESSIONS" -m "$count" -l "$SIZE" -f "$LOGIN" -t "$RCPT" \
        --starttls --auth "$LOGIN:$PASSWORD" --sink-log "$log" --wait "$WAIT" "127.0.0.1:$port")
  rc=$?
  set -e
  c1=$(tree_ticks "$@")
  d1=$(tree_ticks "$(mariadb_pid)")
  stop_pid "$sink_pid"; sink_pid=""
  # What the server logged during the run that deserves a look (read whole: grep -m1 on a pipe would end
  # tail with SIGPIPE, which pipefail turns into an exit).
  if [ "$name" = postfix ]; then
    got=$(tail -c +"$((pf_off + 1))" "$PF_LOG" | grep -E 'status=(deferred|bounced)|warning|fatal|panic' || true)
  else
    got=$(tail -c +"$((os_off + 1))" "$work/osprey.log" | grep -E ' (WARN|ERROR) ' || true)
  fi
  R_NOTE=""
  [ -z "$got" ] || R_NOTE="$(wc -l <<<"$got") line(s) in the $name log; first: $(head -1 <<<"$got")"
  if [ $rc != 0 ]; then
    say "$out" >&2
    [ -z "$R_NOTE" ] || say "$R_NOTE" >&2
    [ "$name" = osprey ] && { say "-- last lines of $work/osprey.log:" >&2; tail -20 "$work/osprey.log" >&2; }
    die "$name: the load exited with $rc (1: a message not accepted, 3: the sink did not get them all)"
  fi
  R_SECS=$(sed -n 's/.*delivered_seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  smtp_secs=$(sed -n 's/.*smtp_seconds=\([0-9.]*\).*/\1/p' <<<"$out")
  accepted=$(sed -n 's/.*accepted=\([0-9]*\).*/\1/p' <<<"$out")
  R_RATE=$(awk -v n="$count" -v s="$R_SECS" 'BEGIN{printf "%.1f", n/s}')
  R_CPU=$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v n="$count" 'BEGIN{printf "%.2f", t*1000/hz/n}')
  R_DB=$(awk -v t=$((d1 - d0)) -v hz="$HZ" -v n="$count" 'BEGIN{printf "%.2f", t*1000/hz/n}')
  R_LINE=$(printf '%-8s msgs %s (accepted in %6.2f s), sink had all after %6.2f s: %7.1f msg/s, CPU %5.2f ms/msg (MariaDB %s)' \
    "$name" "$accepted" "$smtp_secs" "$R_SECS" "$R_RATE" "$R_CPU" "$R_DB")
}
RUN=0
run_postfix() { run_one postfix 587 "$PF_SINK_PORT" "$1" "$(pf_master)" "$(dc_master)"; }
run_osprey() { run_one osprey "$OSPREY_PORT" "$OS_SINK_PORT" "$1" "$osprey_pid"; }

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END{if (NR%2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2]+v[NR/2+1])/2}'; }

# ------------------------------------------------------------------ rounds
say "== $ROUNDS rounds: $SESSIONS sessions (STARTTLS, AUTH PLAIN $LOGIN), $MESSAGES messages of $SIZE bytes" \
    "to $RCPT -> smtp-sink; $(nproc) cores"
say "   Osprey $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || date -r "$OSPREY_JAR" '+jar of %F %T'), Postfix $(postconf -h mail_version)" \
    "(destination concurrency $(postconf -h default_destination_concurrency_limit));" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$WARMUP" -gt 0 ]; then
  say "   warm-up: $WARMUP messages to each (not counted)"
  run_postfix "$WARMUP"
  run_osprey "$WARMUP"
fi
pf_rates="" pf_cpus="" os_rates="" os_cpus="" ratios=""
for round in $(seq "$ROUNDS"); do
  if (( round % 2 )); then order="postfix osprey"; else order="osprey postfix"; fi
  for who in $order; do
    "run_$who" "$MESSAGES"
    say "round $round  $R_LINE  load $(cut -d' ' -f1-3 /proc/loadavg)"
    [ -z "$R_NOTE" ] || say "         note: $R_NOTE"
    if [ "$who" = postfix ]; then pr=$R_RATE pc=$R_CPU; else orate=$R_RATE oc=$R_CPU; fi
  done
  ratio=$(awk -v a="$orate" -v b="$pr" 'BEGIN{printf "%.2f", a/b}')
  say "round $round  ratio osprey/postfix ${ratio}x"
  pf_rates+=" $pr" pf_cpus+=" $pc" os_rates+=" $orate" os_cpus+=" $oc" ratios+=" $ratio"
done

say "== medians over $ROUNDS rounds ($SESSIONS sessions, $MESSAGES x $SIZE bytes, Osprey -Xmx$OSPREY_HEAP)"
say "postfix  $(median <<<"$pf_rates") msg/s until the sink had all, $(median <<<"$pf_cpus") CPU ms/msg (+ MariaDB)"
say "osprey   $(median <<<"$os_rates") msg/s until the sink had all, $(median <<<"$os_cpus") CPU ms/msg"
say "ratio osprey/postfix $(median <<<"$ratios")x (target >= 1.5)"
say "load average $(cut -d' ' -f1-3 /proc/loadavg); Osprey RSS $(awk '/VmRSS/{print $2, $3}' "/proc/$osprey_pid/status")"
