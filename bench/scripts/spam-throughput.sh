#!/bin/bash
# spam-throughput.sh - messages per second through the content checks at the end of DATA (rules + Bayes, no
# network checks) on one core, in process (target: >= 500 msg/s of 20 KB). See bench/README.md.
#
#   bash bench/scripts/spam-throughput.sh
#   MESSAGES=2000 WARMUP=2000 bash bench/scripts/spam-throughput.sh
#
# Settings (environment): MESSAGES=20000 SIZE=20480 WARMUP=20000 CORE=0 ROUNDS=3 HEAP=256m
set -euo pipefail
MESSAGES=${MESSAGES:-20000}
SIZE=${SIZE:-20480}
WARMUP=${WARMUP:-20000}
CORE=${CORE:-0}
ROUNDS=${ROUNDS:-3}
HEAP=${HEAP:-256m}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OSPREY_JAR=$ROOT/server/target/osprey.jar
BENCH_JAR=$ROOT/bench/target/osprey-bench.jar
die() { printf 'spam-throughput: %s\n' "$*" >&2; exit 1; }
[ -f "$OSPREY_JAR" ] && [ -f "$BENCH_JAR" ] || die "build first: mvn -B install -DskipTests"
command -v taskset >/dev/null || die "taskset is missing (apt-get install util-linux)"
# Osprey's log (one INFO line per scored message, as the server writes it) goes to a file, as a server's would.
log=$(mktemp "${TMPDIR:-/tmp}/osprey-spam-throughput.XXXXXX.log")
trap 'rm -f "$log"' EXIT

# The whole JVM (JIT and GC threads too) on one core, so the figure is what one core does.
printf '== content checks at DATA on core %s: %s x %s bytes after %s warm-up, %s rounds (each a fresh JVM);' \
  "$CORE" "$MESSAGES" "$SIZE" "$WARMUP" "$ROUNDS"
printf ' load %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
rates="" cpu_rates=""
for round in $(seq "$ROUNDS"); do
  out=$(taskset -c "$CORE" "$JAVA" -Xmx"$HEAP" -cp "$OSPREY_JAR:$BENCH_JAR" \
        org.osprey.bench.SpamPipelineThroughput "$MESSAGES" "$SIZE" "$WARMUP" 2>"$log") \
    || { tail -20 "$log" >&2; die "SpamPipelineThroughput failed"; }
  grep -E " (WARN|ERROR) " "$log" | head -3 || true
  printf 'round %s  %s\n' "$round" "$out"
  rates+=" $(sed -n 's/.* rate=\([0-9.]*\) .*/\1/p' <<<"$out")"
  cpu_rates+=" $(sed -n 's/.* cpu_rate=\([0-9.]*\) .*/\1/p' <<<"$out")"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
wall=$(median <<<"$rates")
cpu=$(median <<<"$cpu_rates")
printf 'median %s msg/s, %.0f us per message (target >= 500 msg/s)\n' "$wall" "$(awk -v r="$wall" 'BEGIN{print 1e6 / r}')"
printf 'by CPU time: %s msg/s per core, %.0f us of CPU per message (what the core gives when not shared)\n' "$cpu" \
  "$(awk -v r="$cpu" 'BEGIN{print 1e6 / r}')"
