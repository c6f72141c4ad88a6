#!/bin/bash
# imap-compare.sh - IMAP: Osprey against Dovecot (ISPmail baseline), on one machine, in one run.
#   1. mixed sessions (imaptest-like): commands/s of N clients for SECONDS after WARMUP
#   2. SELECT and UID FETCH 1:* (FLAGS) of a 100,000-message folder (first and later sessions), in ms
#   3. memory of many logged-in IDLE connections (Osprey 10,000, Dovecot 500): RSS (and PSS) per connection
# Run as root on Debian 12. See bench/README.md.
#
#   bash bench/scripts/imap-compare.sh
#   SECONDS_MIXED=10 ROUNDS=1 BIG=20000 OSPREY_IDLE=2000 bash bench/scripts/imap-compare.sh   # a quick look
#
# Settings (environment): CLIENTS=10 USERS=10 SECONDS_MIXED=30 WARMUP=5 ROUNDS=3 MAILBOX_SIZE=100 SIZE=5120
# BIG=100000 REPEAT=3 OSPREY_IDLE=10000 DOVECOT_IDLE=500 PARALLEL=50 OSPREY_BIND="127.0.0.1 127.0.0.2 127.0.0.3
# 127.0.0.4" DOVECOT_BIND=127.0.0.1 TLS=none BLF_COST=5 PARTS="mixed select idle" OSPREY_IMAP_PORT=21143
# OSPREY_IMAPS_PORT=21993 IDLE_FRESH=1 OSPREY_HEAP=512m OSPREY_JAVA_OPTS="" SKIP_PEERS=0 BUILD=0 KEEP_TMP=0 TMP_BASE=/var/tmp
set -euo pipefail

CLIENTS=${CLIENTS:-10}
USERS=${USERS:-10}
SECONDS_MIXED=${SECONDS_MIXED:-30}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-3}
MAILBOX_SIZE=${MAILBOX_SIZE:-100}
SIZE=${SIZE:-5120}
BIG=${BIG:-100000}
REPEAT=${REPEAT:-3}
OSPREY_IDLE=${OSPREY_IDLE:-10000}
DOVECOT_IDLE=${DOVECOT_IDLE:-500}
PARALLEL=${PARALLEL:-50}
IDLE_FRESH=${IDLE_FRESH:-1}   # restart Osprey before the IDLE part
# Osprey gets several source addresses (ephemeral ports, per-IP counting). Dovecot only counts 127.0.0.1 -> 127.0.0.1
# as secure; from 127.0.0.2 it refuses LOGIN without TLS, so it keeps one address (500 connections need no more).
OSPREY_BIND=${OSPREY_BIND:-127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4}
DOVECOT_BIND=${DOVECOT_BIND:-127.0.0.1}
TLS=${TLS:-none}              # none | starttls | imaps, the same on both sides
BLF_COST=${BLF_COST:-5}       # bcrypt cost of the Dovecot users' hashes (doveadm pw's own default is 5)
PARTS=${PARTS:-mixed select idle}
OSPREY_IMAP_PORT=${OSPREY_IMAP_PORT:-21143}
OSPREY_IMAPS_PORT=${OSPREY_IMAPS_PORT:-21993}
# 10,000 idle sessions hold about 25 KB of heap each: with -Xmx256m the collector ran without pause and set-up
# stalled at ~8,400 connections (2026-12-05); 512m holds them with RSS well under the 1 GB target.
OSPREY_HEAP=${OSPREY_HEAP:-512m}
OSPREY_JAVA_OPTS=${OSPREY_JAVA_OPTS:-}
SKIP_PEERS=${SKIP_PEERS:-0}
BUILD=${BUILD:-0}
KEEP_TMP=${KEEP_TMP:-0}
TMP_BASE=${TMP_BASE:-/var/tmp}   # same file system as /var/vmail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS=${PEERS:-$ROOT/../shared/peers/ispmail-baseline.sh}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JAVA_HOME/bin/java
OSPREY_JAR=$ROOT/server/target/osprey.jar
BENCH_JAR=$ROOT/bench/target/osprey-bench.jar
DOMAIN=example.org
PASSWORD=secret
USER_PATTERN="imapbench%02d@$DOMAIN"
BIG_USER=imapbig@$DOMAIN
VMAIL=/var/vmail
HZ=$(getconf CLK_TCK)

say() { printf '%s\n' "$*"; }
die() { printf 'imap-compare: %s\n' "$*" >&2; exit 1; }
has_part() { [[ " $PARTS " == *" $1 "* ]]; }
load() { "$JAVA" -cp "$BENCH_JAR" org.osprey.bench.ImapLoad "$@"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END{if (NR%2) print v[(NR+1)/2]; else printf "%.1f\n", (v[NR/2]+v[NR/2+1])/2}'; }
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p; s/^$1=\([^[:space:]]*\).*/\1/p" | head -1; }

[ "$(id -u)" = 0 ] || die "run as root (it sets up Postfix and Dovecot, writes into /var/vmail, reads /proc)"
case "$TLS" in none|starttls|imaps) ;; *) die "TLS must be none, starttls or imaps" ;; esac
# OSPREY_IDLE client sockets in the load tool and as many in Osprey, each a process of its own: raise the soft
# open-files limit as far as the hard limit allows (65536 at most; a container may cap the hard limit lower).
want_files=$(( OSPREY_IDLE + 1000 ))
hard_files=$(ulimit -Hn)
[ "$hard_files" = unlimited ] && hard_files=65536
(( hard_files > 65536 )) && hard_files=65536
ulimit -n "$hard_files" 2>/dev/null || true
(( $(ulimit -n) >= want_files )) || die "open-files limit $(ulimit -n) < $want_files for OSPREY_IDLE=$OSPREY_IDLE"

# ------------------------------------------------------------------ build
if [ "$BUILD" = 1 ] || [ ! -f "$OSPREY_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
  say "== building (mvn install -DskipTests)"
  (cd "$ROOT" && MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -o install -DskipTests -q) \
    || die "build failed"
fi

# ------------------------------------------------------------------ peers
if [ "$SKIP_PEERS" != 1 ]; then
  say "== setting up Postfix + Dovecot with $PEERS"
  skip_apt=0
  pkgs="postfix postfix-mysql dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-mysql mariadb-server"
  installed=$(dpkg-query -W -f='${Status}\n' $pkgs 2>/dev/null | grep -c 'install ok installed' || true)
  [ "$installed" = "$(wc -w <<<"$pkgs")" ] && skip_apt=1
  mkdir -p /etc/mysql/mariadb.conf.d   # the peer script writes a file there; bare MariaDB installs lack it
  peers_log=$(mktemp /tmp/imap-compare-peers.XXXXXX.log)
  if ! SKIP_APT=$skip_apt bash "$PEERS" >"$peers_log" 2>&1; then
    tail -20 "$peers_log" >&2
    die "peer setup failed (log: $peers_log)"
  fi
  say "   ok (log: $peers_log)"
fi
dc_master() { cat /run/dovecot/master.pid; }
kill -0 "$(dc_master)" 2>/dev/null || die "Dovecot master is not running"
case "$TLS" in
  imaps) DC_PORT=993 OS_PORT=$OSPREY_IMAPS_PORT ;;
  *) DC_PORT=143 OS_PORT=$OSPREY_IMAP_PORT ;;
esac

# ------------------------------------------------------------------ Dovecot users
# The same users on both sides: imapbench01..USERS for the mixed load and IDLE, imapbig for the big folder.
say "== Dovecot users: $(printf "$USER_PATTERN" 1) .. $(printf "$USER_PATTERN" "$USERS"), $BIG_USER" \
    "(BLF-CRYPT cost $BLF_COST, doveadm pw)"
dc_hash=$(doveadm pw -s BLF-CRYPT -r "$BLF_COST" -p "$PASSWORD")
all_users() { for i in $(seq "$USERS"); do printf "$USER_PATTERN\n" "$i"; done; echo "$BIG_USER"; }
for email in $(all_users); do
  echo "INSERT INTO virtual_users (domain_id, email, password, quota)
        SELECT id, '$email', '$dc_hash', 0 FROM virtual_domains WHERE name = '$DOMAIN'
        ON DUPLICATE KEY UPDATE password = VALUES(password), quota = 0;"
done | mariadb -u root mailserver
doveadm auth test "$(printf "$USER_PATTERN" 1)" "$PASSWORD" >/dev/null || die "Dovecot refuses the new users"

# ------------------------------------------------------------------ Osprey
for p in "$OSPREY_IMAP_PORT" "$OSPREY_IMAPS_PORT"; do
  ss -ltnH "sport = :$p" | grep -q . && die "port $p is taken; set OSPREY_IMAP_PORT / OSPREY_IMAPS_PORT"
done
work=$(mktemp -d "$TMP_BASE/osprey-imap-bench.XXXXXX")
osprey_pid=""
stop_osprey() {
  if [ -n "$osprey_pid" ] && kill -0 "$osprey_pid" 2>/dev/null; then
    kill -TERM "$osprey_pid"
    for _ in $(seq 150); do kill -0 "$osprey_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$osprey_pid" 2>/dev/null && kill -KILL "$osprey_pid"
    wait "$osprey_pid" 2>/dev/null || true
  fi
  osprey_pid=""
}
cleanup() {
  stop_osprey
  if [ "$KEEP_TMP" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
  rm -rf "$VMAIL/$DOMAIN/${BIG_USER%@*}"   # 100,000 files; the small mailboxes stay
}
trap cleanup EXIT
trap 'exit 130' INT TERM

plaintext=false
[ "$TLS" = none ] && plaintext=true
cat >"$work/osprey.toml" <<EOF
# written by imap-compare.sh: IMAP on loopback only, everything else off
data_dir = "$work/data"
hostname = "osprey.bench.test"
[database]
url = "jdbc:sqlite:$work/data/osprey.db"
[store]
root = "$work/vmail"
[listen]
smtp = []
submission = []
submissions = []
imap = ["127.0.0.1:$OSPREY_IMAP_PORT"]
imaps = ["127.0.0.1:$OSPREY_IMAPS_PORT"]
pop3 = []
pop3s = []
managesieve = []
web = []
[directory]
password_scheme = "BLF-CRYPT"
[limits]
max_connections = $(( OSPREY_IDLE + 1000 ))
max_connections_per_ip = $(( OSPREY_IDLE + 1000 ))
[auth]
# Dovecot takes LOGIN without TLS from 127.0.0.1 (it counts loopback as secure); Osprey needs this to do the same.
allow_plaintext_without_tls = $plaintext
EOF
osprey() { "$JAVA" -jar "$OSPREY_JAR" "$@" --config "$work/osprey.toml"; }
say "== Osprey users (osprey domain add, osprey user add; [directory] password_scheme = BLF-CRYPT)"
osprey domain add "$DOMAIN" >/dev/null
for email in $(all_users); do
  echo "$PASSWORD" | osprey user add "$email" --password-stdin >/dev/null
done
os_hash=$(sqlite3 "$work/data/osprey.db" "SELECT password FROM virtual_users WHERE email = '$BIG_USER'" 2>/dev/null || true)
hash_cost() { sed -n 's/.*\$2[abxy]\$\([0-9]*\)\$.*/\1/p' <<<"$1"; }

say "== starting Osprey (-Xmx$OSPREY_HEAP) on 127.0.0.1:$OSPREY_IMAP_PORT (imap), :$OSPREY_IMAPS_PORT (imaps);" \
    "data in $work"
start_osprey() {
  # shellcheck disable=SC2086
  "$JAVA" -Xmx"$OSPREY_HEAP" $OSPREY_JAVA_OPTS --enable-native-access=ALL-UNNAMED -jar "$OSPREY_JAR" run \
    --config "$work/osprey.toml" >>"$work/osprey.log" 2>&1 &
  osprey_pid=$!
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$OSPREY_IMAP_PORT") 2>/dev/null && break
    kill -0 "$osprey_pid" 2>/dev/null || { tail -20 "$work/osprey.log" >&2; die "Osprey did not start"; }
    sleep 0.1
  done
  local greeting
  greeting=$(exec 3<>"/dev/tcp/127.0.0.1/$OSPREY_IMAP_PORT"; timeout 5 head -n 1 <&3 | tr -d '\r') || true
  [[ "$greeting" == "* OK"* ]] || die "Osprey does not answer IMAP on $OSPREY_IMAP_PORT (got: ${greeting:-nothing})"
}
start_osprey
say "   pid $osprey_pid"

# ------------------------------------------------------------------ versions
say "== versions and machine"
say "   Dovecot $(dovecot --version)  ($(doveconf -h mail_location), mail_fsync=$(doveconf -h mail_fsync)," \
    "imap-login service_count=$(doveconf -h service/imap-login/service_count 2>/dev/null || echo '?')," \
    "auth_cache_size=$(doveconf -h auth_cache_size))"
say "   Osprey $("$JAVA" -jar "$OSPREY_JAR" --version 2>/dev/null | head -1), git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || echo ' (+ uncommitted changes)')"
say "   $("$JAVA" -version 2>&1 | head -1); load tool: $(basename "$BENCH_JAR") org.osprey.bench.ImapLoad"
say "   $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r)," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "   TLS: $TLS (Dovecot port $DC_PORT, Osprey port $OS_PORT)"
say "   password hashes: Dovecot BLF-CRYPT cost $(hash_cost "$dc_hash") (every LOGIN runs bcrypt: auth_cache is" \
    "off in the ISPmail setup); Osprey BLF-CRYPT cost $(hash_cost "$os_hash") (osprey user add; a verified" \
    "password is cached for an hour, so only a user's first LOGIN runs bcrypt)"

DC=(--tls "$TLS" "127.0.0.1:$DC_PORT")
OS=(--tls "$TLS" "127.0.0.1:$OS_PORT")

# ------------------------------------------------------------------ CPU accounting (as in smtp-compare.sh)
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

# ------------------------------------------------------------------ 1. mixed sessions
if has_part mixed; then
  say ""
  say "== 1. mixed sessions: $CLIENTS clients, $USERS users, $SECONDS_MIXED s measured after $WARMUP s warm-up," \
      "$ROUNDS round(s); INBOX of $MAILBOX_SIZE x $SIZE bytes each"
  say "   each client loops: LOGIN, LIST \"\" \"*\", STATUS INBOX (MESSAGES UNSEEN), SELECT INBOX, FETCH 1:* (FLAGS)," \
      "FETCH a:b (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE), FETCH 1-2 msgs (BODY[]), STORE +FLAGS (\\Seen|\\Deleted)," \
      "EXPUNGE, APPEND ${SIZE} B, LOGOUT; counted: tagged OK per second"
  # run_mixed NAME PID... : refills every INBOX, runs the load; sets M_RATE, M_CPU (server CPU ms per command),
  # M_DB (MariaDB CPU ms per command), M_OUT.
  run_mixed() {
    local name=$1; shift
    local args
    if [ "$name" = dovecot ]; then args=("${DC[@]}"); else args=("${OS[@]}"); fi
    load fill --user "$USER_PATTERN" --users "$USERS" --messages "$MAILBOX_SIZE" --size "$SIZE" "${args[@]}" \
      >/dev/null || die "$name: filling the INBOXes failed"
    sync; sleep 1
    local c0 c1 d0 d1 cmds
    d0=$(tree_ticks "$(mariadb_pid)"); c0=$(tree_ticks "$@")
    M_OUT=$(load mixed --user "$USER_PATTERN" --users "$USERS" --clients "$CLIENTS" --seconds "$SECONDS_MIXED" \
            --warmup "$WARMUP" --keep "$MAILBOX_SIZE" --size "$SIZE" "${args[@]}") || die "$name: mixed load failed: $M_OUT"
    c1=$(tree_ticks "$@"); d1=$(tree_ticks "$(mariadb_pid)")
    M_RATE=$(field rate <<<"$M_OUT")
    cmds=$(field all_commands <<<"$M_OUT")
    # server CPU over the whole run (warm-up included), per tagged OK of the whole run
    M_CPU=$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v n="$cmds" 'BEGIN{ if (n > 0) printf "%.2f", t*1000/hz/n; else print "n/a" }')
    M_DB=$(awk -v t=$((d1 - d0)) -v hz="$HZ" -v n="$cmds" 'BEGIN{ if (n > 0) printf "%.2f", t*1000/hz/n; else print "n/a" }')
  }
  dc_rates="" os_rates="" ratios=""
  for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then order="dovecot osprey"; else order="osprey dovecot"; fi
    for who in $order; do
      if [ "$who" = dovecot ]; then run_mixed dovecot "$(dc_master)"; else run_mixed osprey "$osprey_pid"; fi
      say "round $round  $(printf '%-8s' "$who") $(printf '%8.1f' "$M_RATE") commands/s  (server CPU $M_CPU ms/command," \
          "MariaDB $M_DB ms/command)  load $(cut -d' ' -f1-3 /proc/loadavg)"
      sed -n '1p; /^  /p; /^first failure/p' <<<"$M_OUT" | sed 's/^/           /'
      if [ "$who" = dovecot ]; then dr=$M_RATE; else orr=$M_RATE; fi
    done
    r=$(ratio "$orr" "$dr")
    say "round $round  ratio osprey/dovecot ${r}x"
    dc_rates+=" $dr" os_rates+=" $orr" ratios+=" $r"
  done
  MIX_DC=$(median <<<"$dc_rates") MIX_OS=$(median <<<"$os_rates") MIX_RATIO=$(median <<<"$ratios")
  say "mixed  dovecot $MIX_DC cmd/s, osprey $MIX_OS cmd/s (medians of $ROUNDS), ratio osprey/dovecot ${MIX_RATIO}x" \
      "(target >= 2)"
fi

# ------------------------------------------------------------------ 2. big folder
if has_part select; then
  say ""
  say "== 2. a folder of $BIG messages: SELECT and UID FETCH 1:* (FLAGS), first session (index built), then" \
      "median of $REPEAT new sessions"
  big_local=${BIG_USER%@*}
  dc_big=$VMAIL/$DOMAIN/$big_local/Maildir
  os_big=$work/vmail/$DOMAIN/$big_local/Maildir
  rm -rf "$VMAIL/$DOMAIN/$big_local" "$work/vmail/$DOMAIN/$big_local"
  say "   writing $BIG files of ~$SIZE bytes into each cur/ (LF, Dovecot-style names, 70% \\Seen)"
  load maildir --dir "$dc_big" --messages "$BIG" --size "$SIZE" >/dev/null
  chown -R vmail:vmail "$VMAIL/$DOMAIN/$big_local"
  load maildir --dir "$os_big" --messages "$BIG" --size "$SIZE" >/dev/null
  sync; sleep 1
  run_select() {   # NAME ARGS...
    local name=$1; shift
    S_OUT=$(load select --user "$BIG_USER" --repeat "$REPEAT" "$@") || die "$name: select failed: $S_OUT"
  }
  run_select dovecot "${DC[@]}"; dc_sel=$S_OUT
  run_select osprey "${OS[@]}"; os_sel=$S_OUT
  for who in dovecot osprey; do
    if [ "$who" = dovecot ]; then o=$dc_sel; else o=$os_sel; fi
    say "$(printf '%-8s' "$who") exists $(field exists <<<"$o"), FLAGS fetched $(field fetched <<<"$o");" \
        "first session: SELECT $(field select_first_ms <<<"$o") ms, UID FETCH $(field fetch_first_ms <<<"$o") ms;" \
        "later: SELECT $(field select_ms <<<"$o") ms (min $(field select_min_ms <<<"$o"))," \
        "UID FETCH 1:* (FLAGS) $(field fetch_ms <<<"$o") ms (min $(field fetch_min_ms <<<"$o"))"
  done
  SEL_DC=$(field select_ms <<<"$dc_sel") SEL_OS=$(field select_ms <<<"$os_sel")
  FET_DC=$(field fetch_ms <<<"$dc_sel") FET_OS=$(field fetch_ms <<<"$os_sel")
  say "select  SELECT: dovecot $SEL_DC ms, osprey $SEL_OS ms (target <= 50), ratio osprey/dovecot" \
      "$(ratio "$SEL_OS" "$SEL_DC")x;  UID FETCH 1:* (FLAGS): dovecot $FET_DC ms, osprey $FET_OS ms" \
      "(target <= 300), ratio $(ratio "$FET_OS" "$FET_DC")x  (lower is better)"
  say "   load average $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$VMAIL/$DOMAIN/$big_local" "$work/vmail/$DOMAIN/$big_local"
fi

# ------------------------------------------------------------------ 3. IDLE connections
if has_part idle; then
  say ""
  say "== 3. logged-in IDLE connections (LOGIN, SELECT INBOX, IDLE over $USERS users): Osprey $OSPREY_IDLE," \
      "Dovecot $DOVECOT_IDLE"
  # Sums VmRSS and Pss (kB) over a process tree: "rss pss processes"
  tree_mem() {
    local -A parent=() in=()
    local f pid ppid line rss=0 pss=0 count=0 changed
    for f in /proc/[0-9]*/stat; do
      { read -r line <"$f"; } 2>/dev/null || continue
      pid=${line%% *}; line=${line##*) }; read -r _ ppid _ <<<"$line"; parent[$pid]=$ppid
    done
    in[$1]=1; changed=1
    while [ $changed = 1 ]; do
      changed=0
      for pid in "${!parent[@]}"; do
        if [ -z "${in[$pid]:-}" ] && [ -n "${in[${parent[$pid]}]:-}" ]; then in[$pid]=1; changed=1; fi
      done
    done
    for pid in "${!in[@]}"; do
      [ -n "${2:-}" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "$2" ] && continue
      r=$(awk '/^VmRSS:/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
      p=$(awk '/^Pss:/{print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || true)
      [ -n "$r" ] || continue
      rss=$((rss + r)); pss=$((pss + ${p:-0})); count=$((count + 1))
    done
    echo "$rss $pss $count"
  }
  # run_idle NAME COUNT BIND ARGS... : starts the load tool, waits for "idle_ready=", leaves the connections
  # idle for 3 s, then measures; sets I_READY, I_FAILED, I_SETUP; the caller measures between idle_start/idle_stop.
  idle_start() {
    local name=$1 count=$2 bind=$3; shift 3
    I_FIFO=$work/idle.fifo; I_OUT=$work/idle.out
    rm -f "$I_FIFO"; mkfifo "$I_FIFO"
    load idle --user "$USER_PATTERN" --users "$USERS" --connections "$count" --parallel "$PARALLEL" \
      --bind "${bind// /,}" "$@" <"$I_FIFO" >"$I_OUT" 2>&1 &
    I_PID=$!
    exec 7>"$I_FIFO"
    for _ in $(seq 3600); do
      grep -q '^idle_ready=' "$I_OUT" && break
      kill -0 "$I_PID" 2>/dev/null || { cat "$I_OUT" >&2; die "$name: the idle load tool stopped"; }
      sleep 0.5
    done
    grep -q '^idle_ready=' "$I_OUT" || die "$name: connections not idle after 30 minutes"
    I_READY=$(field idle_ready <"$I_OUT"); I_FAILED=$(field failed <"$I_OUT"); I_SETUP=$(field setup_seconds <"$I_OUT")
    sleep 3
  }
  idle_stop() {
    exec 7>&-
    wait "$I_PID" || true
    rm -f "$I_FIFO"
  }
  kb() { awk -v k="$1" 'BEGIN{printf "%.1f MB", k/1024}'; }
  per() { awk -v k="$1" -v n="$2" 'BEGIN{ if (n > 0) printf "%.1f", k/n; else print "n/a" }'; }

  # Osprey: the whole java process, started afresh (as after a reboot), so that "before" is not a heap that
  # earlier parts of the run have already grown and the connections' memory shows in "after".
  if [ "$IDLE_FRESH" = 1 ]; then
    stop_osprey; start_osprey; sleep 5
  fi
  os_rss0=$(awk '/^VmRSS:/{print $2}' "/proc/$osprey_pid/status")
  idle_start osprey "$OSPREY_IDLE" "$OSPREY_BIND" "${OS[@]}"
  os_rss1=$(awk '/^VmRSS:/{print $2}' "/proc/$osprey_pid/status")
  os_pss1=$(awk '/^Pss:/{print $2}' "/proc/$osprey_pid/smaps_rollup")
  os_ready=$I_READY
  say "osprey   $I_READY idle ($I_FAILED failed, set up in $I_SETUP s; sources $OSPREY_BIND):" \
      "RSS $(kb "$os_rss0") before, $(kb "$os_rss1") with them (PSS $(kb "$os_pss1"));" \
      "$(per $((os_rss1 - os_rss0)) "$I_READY") KB more per connection, $(per "$os_rss1" "$I_READY") KB total per connection"
  grep '^first failure' "$I_OUT" | sed 's/^/         /' || true
  idle_stop

  # Dovecot: the master and every child (imap-login, auth, anvil, ... and one imap process per connection)
  read -r dc_rss0 dc_pss0 dc_n0 < <(tree_mem "$(dc_master)")
  idle_start dovecot "$DOVECOT_IDLE" "$DOVECOT_BIND" "${DC[@]}"
  read -r dc_rss1 dc_pss1 dc_n1 < <(tree_mem "$(dc_master)")
  read -r im_rss im_pss im_n < <(tree_mem "$(dc_master)" imap)
  dc_ready=$I_READY
  say "dovecot  $I_READY idle ($I_FAILED failed, set up in $I_SETUP s): $im_n imap processes, RSS $(kb "$im_rss")," \
      "PSS $(kb "$im_pss") = $(per "$im_rss" "$I_READY") KB RSS, $(per "$im_pss" "$I_READY") KB PSS per connection;" \
      "all Dovecot processes ($dc_n0 -> $dc_n1): RSS $(kb "$dc_rss0") -> $(kb "$dc_rss1")," \
      "PSS $(kb "$dc_pss0") -> $(kb "$dc_pss1")"
  grep '^first failure' "$I_OUT" | sed 's/^/         /' || true
  idle_stop

  os_per=$(per "$os_rss1" "$os_ready")
  os_delta=$(per $((os_rss1 - os_rss0)) "$os_ready")
  dc_per_pss=$(per $((dc_pss1 - dc_pss0)) "$dc_ready")
  dc_per_rss=$(per "$im_rss" "$dc_ready")
  say "idle  osprey $os_ready connections: $(kb "$os_rss1") RSS in all (target <= 1 GB), $os_per KB per connection" \
      "all included, $os_delta KB added per connection (target <= 100);" \
      "dovecot: $dc_per_rss KB RSS, $dc_per_pss KB PSS added per connection;" \
      "ratio dovecot/osprey per connection: RSS $(ratio "$dc_per_rss" "$os_delta")x, PSS $(ratio "$dc_per_pss" "$os_delta")x"
fi

say ""
say "load average $(cut -d' ' -f1-3 /proc/loadavg); Osprey RSS $(awk '/VmRSS/{print $2, $3}' "/proc/$osprey_pid/status")"
