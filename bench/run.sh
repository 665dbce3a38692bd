#!/usr/bin/env bash
# The benchmark: one command, from the repository root or anywhere.
#
#   bench/run.sh                      every workload, 5 s per point
#   BENCH_SECONDS=10 bench/run.sh     longer points
#   BENCH_ONLY="stream list" bench/run.sh   a subset: stream ttfb list action hold growth store widgets
#
# Builds release, starts our conformance app (memory and SQLite stores), the Python
# reference app (openai-chatkit 1.6.5, installed into bench/.venv) and the bare axum
# ceiling, drives them on 127.0.0.1 with wrk (and bench/src/bin/loadgen.rs where wrk cannot
# measure), and writes bench/RESULTS.md. The `widgets` workload is bench/widgets.sh (template
# render and serialization, criterion vs the reference's WidgetTemplate); its table is kept
# when other workloads rewrite the file. Installs wrk with apt-get when missing (as root).
# Raw outputs go to bench/out/.
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=bench/out
mkdir -p "$OUT"
SECONDS_PER_POINT="${BENCH_SECONDS:-5}"
ONLY="${BENCH_ONLY:-stream ttfb list action hold growth store widgets}"
PG_URL="${CHATKIT_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"

wants() { [[ " $ONLY " == *" $1 "* ]]; }
# BENCH_REPORT_ONLY=1: rewrite bench/RESULTS.md from the raw lines of the last run.
REPORT_ONLY="${BENCH_REPORT_ONLY:-}"
log() { printf '== %s\n' "$*" >&2; }

declare -A R URL PID IDLE_RSS PATH_STREAM PATH_JSON # R[workload:target:key]=value

# record PREFIX LINE: stores the key=value pairs of LINE under PREFIX.
record() {
  local prefix=$1 pair
  for pair in $2; do
    [[ $pair == *=* ]] && R[$prefix:${pair%%=*}]=${pair#*=}
  done
}
TARGETS="ceiling memory sqlite reference"

if [ -z "$REPORT_ONLY" ] && [ -z "$(sed 's/widgets//' <<<"$ONLY" | tr -d ' ')" ]; then
  exec bash bench/widgets.sh # no server needed
fi

if [ -z "$REPORT_ONLY" ]; then
# --- dependencies ----------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "wrk is missing; install the Debian package wrk (or run as root)" >&2
    exit 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
# shellcheck source=bench/reference-venv.sh
source bench/reference-venv.sh
log "building release"
cargo build --release -q -p chatkit-cli -p chatkit-bench
BIN=target/release
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# --- servers ---------------------------------------------------------------------------
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# start NAME COMMAND...: runs a server that prints "listening on http://ADDR".
start() {
  local name=$1
  shift
  "$@" >"$OUT/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  for _ in $(seq 1 300); do
    if grep -q 'listening on http://' "$OUT/$name.log"; then
      URL[$name]=$(grep -o 'http://[0-9.:]*' "$OUT/$name.log" | head -n 1)
      PID[$name]=$pid
      PATH_STREAM[$name]=/chatkit
      PATH_JSON[$name]=/chatkit
      sleep 0.5
      IDLE_RSS[$name]=$(rss_kib "$pid")
      return
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start; see $OUT/$name.log" >&2
  exit 1
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# post NAME BODY: one request, response on stdout.
post() {
  curl -sS -H 'content-type: application/json' -H 'x-user-id: bench' --data "$2" "${URL[$1]}${PATH_STREAM[$1]}"
}

user_message() { printf '{"content":[{"type":"input_text","text":"%s"}],"attachments":[],"inference_options":{}}' "$1"; }
create_body() { printf '{"type":"threads.create","params":{"input":%s}}' "$(user_message "$1")"; }
add_body() { printf '{"type":"threads.add_user_message","params":{"thread_id":"%s","input":%s}}' "$1" "$(user_message "$2")"; }

# Ids from an SSE stream on stdin: the thread, and the last widget item.
thread_of() { grep -o '"thr_[A-Za-z0-9]*"' | head -n 1 | tr -d '"'; }
widget_of() {
  python3 -c '
import json, sys
for line in sys.stdin:
    if line.startswith("data: "):
        event = json.loads(line[6:])
        item = event.get("item") or {}
        if event.get("type") == "thread.item.done" and item.get("type") == "widget":
            print(item["id"])'
}

ECHO20="echo one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
create_body "$ECHO20" >"$OUT/create.json"
echo '{"type":"threads.list","params":{"limit":20}}' >"$OUT/list.json"

rm -f "$OUT"/bench.db*
log "starting servers"
start memory "$BIN/chatkit" conformance-app --store memory --port 0
start sqlite "$BIN/chatkit" conformance-app --store "sqlite:$OUT/bench.db" --port 0
PY_PORT=$(free_port)
REFERENCE_APP=tests/kit/conformance/reference_app.py
"$VENV/bin/python" "$REFERENCE_APP" --port "$PY_PORT" >"$OUT/reference.log" 2>&1 &
PID[reference]=$!
PIDS+=("${PID[reference]}")
URL[reference]="http://127.0.0.1:$PY_PORT"
for _ in $(seq 1 300); do
  curl -s -o /dev/null -X POST "${URL[reference]}/chatkit" 2>/dev/null && break
  kill -0 "${PID[reference]}" 2>/dev/null || { echo "the reference app did not start; see $OUT/reference.log" >&2; exit 1; }
  sleep 0.1
done
PATH_STREAM[reference]=/chatkit
PATH_JSON[reference]=/chatkit
IDLE_RSS[reference]=$(rss_kib "${PID[reference]}")

# The ceiling answers with what our app sends: a 20-word echo stream and a full
# threads.list page (20 threads).
post memory "$(cat "$OUT/create.json")" >"$OUT/stream.sse"
for _ in $(seq 1 20); do post memory "$(cat "$OUT/create.json")" >/dev/null; done
post memory "$(cat "$OUT/list.json")" >"$OUT/list-response.json"
start ceiling "$BIN/ceiling" --sse "$OUT/stream.sse" --json "$OUT/list-response.json" --port 0
PATH_STREAM[ceiling]=/sse
PATH_JSON[ceiling]=/json

FRAMES=$(grep -c '^data: ' "$OUT/stream.sse")
STREAM_BYTES=$(wc -c <"$OUT/stream.sse")
LIST_BYTES=$(wc -c <"$OUT/list-response.json")

# wrk_point PREFIX TARGET PATH BODYFILE CONNECTIONS
wrk_point() {
  local threads=2
  [ "$5" -lt 2 ] && threads=1
  local line
  line=$(BODY="$4" wrk -t"$threads" -c"$5" -d"${SECONDS_PER_POINT}s" --timeout 10s -s bench/lua/post.lua \
    "${URL[$2]}$3" | grep '^RESULT' || true)
  echo "$1 $2: $line" >>"$OUT/raw.txt"
  record "$1:$2" "${line#RESULT }"
}

# loadgen_point PREFIX TARGET PATH BODYFILE ARGS...
loadgen_point() {
  local prefix=$1 target=$2 path=$3 body=$4
  shift 4
  local line
  line=$("$BIN/loadgen" --url "${URL[$target]}$path" --body "$body" "$@")
  echo "$prefix $target: $line" >>"$OUT/raw.txt"
  record "$prefix:$target" "$line"
}

: >"$OUT/raw.txt"

if wants stream; then
  for c in 1 16 64 256; do
    for t in $TARGETS; do
      log "stream c=$c $t"
      wrk_point "stream$c" "$t" "${PATH_STREAM[$t]}" "$OUT/create.json" "$c"
    done
  done
fi

if wants ttfb; then
  for t in $TARGETS; do
    log "first event c=64 $t"
    loadgen_point ttfb "$t" "${PATH_STREAM[$t]}" "$OUT/create.json" --concurrency 64 --duration "$SECONDS_PER_POINT"
  done
fi

if wants list; then
  # Every target holds at least 20 threads of user `bench` by now (or gets them here).
  for t in memory sqlite reference; do
    for _ in $(seq 1 20); do post "$t" "$(cat "$OUT/create.json")" >/dev/null; done
  done
  for t in $TARGETS; do
    log "threads.list c=64 $t"
    wrk_point list "$t" "${PATH_JSON[$t]}" "$OUT/list.json" 64
  done
fi

if wants action; then
  for t in memory sqlite reference; do
    log "server action c=64 $t"
    : >"$OUT/action-$t.json"
    for _ in $(seq 1 64); do
      sse=$(post "$t" "$(create_body "widget counter")")
      thread=$(thread_of <<<"$sse")
      item=$(widget_of <<<"$sse")
      printf '{"type":"threads.custom_action","params":{"thread_id":"%s","item_id":"%s","action":{"type":"counter.increment","payload":{"by":1}}}}\n' \
        "$thread" "$item" >>"$OUT/action-$t.json"
    done
    wrk_point action "$t" /chatkit "$OUT/action-$t.json" 64
  done
fi

if wants hold; then
  create_body "slow 60" >"$OUT/slow.json"
  for t in memory sqlite reference; do
    log "1000 open slow streams $t"
    loadgen_point hold "$t" /chatkit "$OUT/slow.json" --concurrency 1000 --count 1000 --timeout 120 --pid "${PID[$t]}"
  done
fi

# settle PID: waits (at most 15 s) until the server spends at most 10 ms of CPU in half a second.
settle() {
  local prev now
  prev=$(awk '{print $14 + $15}' "/proc/$1/stat")
  for _ in $(seq 1 30); do
    sleep 0.5
    now=$(awk '{print $14 + $15}' "/proc/$1/stat")
    [ $((now - prev)) -le 1 ] && return
    prev=$now
  done
}

if wants growth; then
  for t in memory sqlite; do
    thread=$(post "$t" "$(create_body "echo start")" | thread_of)
    add_body "$thread" "$ECHO20" >"$OUT/respond-$t.json"
    add_body "$thread" "echo x" >"$OUT/fill-$t.json"
    printf '{"type":"items.list","params":{"thread_id":"%s","limit":20}}\n' "$thread" >"$OUT/items-$t.json"
    have=2
    # The smallest thread already fills the page of 20, so every size answers the same
    # number of items and only the thread's size differs.
    for size in 20 1000 10000; do
      if [ "$size" -gt "$have" ]; then
        log "growing a $t thread to $size items"
        "$BIN/loadgen" --url "${URL[$t]}/chatkit" --body "$OUT/fill-$t.json" --concurrency 4 \
          --count $(((size - have) / 2)) >/dev/null
        have=$size
      fi
      # The fill leaves work behind in a store that writes to disk (SQLite copies the fill's
      # write-ahead log back into the database in the background, and the log starts over
      # once it is done): measured right away, the requests of this size would share the
      # cores with the fill's aftermath rather than show what a thread of this size costs.
      settle "${PID[$t]}"
      log "items.list and respond at $size items, $t"
      loadgen_point "items$size" "$t" /chatkit "$OUT/items-$t.json" --concurrency 1 --count 1000
      loadgen_point "respond$size" "$t" /chatkit "$OUT/respond-$t.json" --concurrency 1 --count 200
      have=$((have + 400))
    done
  done
fi

if wants store; then
  for s in memory sqlite postgres; do
    case $s in
      memory) url=memory ;;
      sqlite) rm -f "$OUT"/store.db*; url="sqlite:$OUT/store.db" ;;
      postgres) url=$PG_URL ;;
    esac
    log "store: 100k items, $s"
    line=$("$BIN/storebench" --store "$url" --items 100000 --writers 32 --queries 2000)
    echo "store $s: $line" >>"$OUT/raw.txt"
    record "store:$s" "$line"
  done
fi

else
  while IFS= read -r line; do
    key=${line%%:*}
    record "${key% *}:${key#* }" "$(sed 's/^RESULT //' <<<"${line#*: }")"
  done <"$OUT/raw.txt"
  ONLY=""
  for w in stream ttfb list action hold growth store; do
    grep -q "^$w" "$OUT/raw.txt" && ONLY="$ONLY $w"
  done
  [ -n "${R[items20:memory:p50_ms]:-}" ] && ONLY="$ONLY growth"
  ONLY="$ONLY "
  FRAMES=$(grep -c '^data: ' "$OUT/stream.sse")
  STREAM_BYTES=$(wc -c <"$OUT/stream.sse")
  LIST_BYTES=$(wc -c <"$OUT/list-response.json")
fi

# --- report ----------------------------------------------------------------------------
v() { echo "${R[$1]:-}"; }
# ratio A B: A/B with two decimals, or "–" when either is missing.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f", a / b }'; }
num() { awk -v a="$1" -v d="${2:-0}" 'BEGIN { if (a == "") print "–"; else printf "%.*f", d, a }'; }
mib() { awk -v a="$1" 'BEGIN { if (a == "") print "–"; else printf "%.1f", a / 1024 }'; }

# The widget table (bench/widgets.sh) survives a rewrite.
WIDGET_TABLE=$(sed -n '/^<!-- widgets -->$/,/^<!-- \/widgets -->$/p' bench/RESULTS.md 2>/dev/null || true)
{
  echo "# Benchmark results"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)),"
  echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(uname -sr). Command: \`bench/run.sh\`"
  echo "(${SECONDS_PER_POINT} s per point). Load generators share the cores with the servers, all on 127.0.0.1;"
  echo "the machine is shared with other work, so absolute figures move between runs — compare the"
  echo "ratios, which come from one run. Raw lines: \`bench/out/raw.txt\`."
  echo
  echo "Targets: **memory** and **sqlite** = \`chatkit conformance-app --store …\` (release);"
  echo "**reference** = the Python reference app (openai-chatkit 1.6.5, uvicorn, 1 worker);"
  echo "**ceiling** = bare axum answering the same recorded bytes ($FRAMES SSE frames, $STREAM_BYTES bytes;"
  echo "a threads.list page of $LIST_BYTES bytes) with no logic (\`bench/src/bin/ceiling.rs\`)."
  echo
  if wants stream; then
    echo "## Streaming \`threads.create\`, 20-word echo (wrk)"
    echo
    echo "| c | target | req/s | p50 ms | p99 ms | errors | req/s vs ceiling | req/s vs reference | p99 vs ceiling |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    for c in 1 16 64 256; do
      for t in $TARGETS; do
        k="stream$c:$t"
        echo "| $c | $t | $(num "$(v "$k:rps")") | $(num "$(v "$k:p50_ms")" 2) | $(num "$(v "$k:p99_ms")" 2) | $(v "$k:errors") |" \
          "$(ratio "$(v "$k:rps")" "$(v "stream$c:ceiling:rps")") | $(ratio "$(v "$k:rps")" "$(v "stream$c:reference:rps")") |" \
          "$(ratio "$(v "$k:p99_ms")" "$(v "stream$c:ceiling:p99_ms")") |"
      done
    done
    echo
  fi
  if wants ttfb; then
    echo "## Time to first event, c=64 (loadgen: first body chunk)"
    echo
    echo "| target | req/s | first event p50 ms | first event p99 ms | whole stream p99 ms |"
    echo "|---|---:|---:|---:|---:|"
    for t in $TARGETS; do
      k="ttfb:$t"
      echo "| $t | $(num "$(v "$k:rps")") | $(num "$(v "$k:first_p50_ms")" 2) | $(num "$(v "$k:first_p99_ms")" 2) | $(num "$(v "$k:p99_ms")" 2) |"
    done
    echo
  fi
  if wants list; then
    echo "## \`threads.list\` (20 threads), c=64 (wrk)"
    echo
    echo "| target | req/s | p50 ms | p99 ms | vs ceiling (bare JSON) | vs reference |"
    echo "|---|---:|---:|---:|---:|---:|"
    for t in $TARGETS; do
      k="list:$t"
      echo "| $t | $(num "$(v "$k:rps")") | $(num "$(v "$k:p50_ms")" 2) | $(num "$(v "$k:p99_ms")" 2) |" \
        "$(ratio "$(v "$k:rps")" "$(v list:ceiling:rps)") | $(ratio "$(v "$k:rps")" "$(v list:reference:rps)") |"
    done
    echo
  fi
  if wants action; then
    echo "## Server action (\`counter.increment\` on a widget, 64 threads), c=64 (wrk)"
    echo
    echo "| target | req/s | p50 ms | p99 ms | errors | vs reference |"
    echo "|---|---:|---:|---:|---:|---:|"
    for t in memory sqlite reference; do
      k="action:$t"
      echo "| $t | $(num "$(v "$k:rps")") | $(num "$(v "$k:p50_ms")" 2) | $(num "$(v "$k:p99_ms")" 2) | $(v "$k:errors") | $(ratio "$(v "$k:rps")" "$(v action:reference:rps)") |"
    done
    echo
  fi
  if wants hold; then
    echo "## 1,000 concurrently open slow streams (\`slow 60\`: 60 deltas, 50 ms apart)"
    echo
    echo "RSS at start is measured right after the server is ready; the other columns during this"
    echo "workload (sampled every 50 ms). CPU = server CPU seconds spent on the 1,000 streams."
    echo
    echo "| target | RSS at start MiB | RSS before MiB | peak RSS MiB | KiB per stream | CPU s | completed | errors | wall s |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    for t in memory sqlite reference; do
      k="hold:$t"
      echo "| $t | $(mib "${IDLE_RSS[$t]:-}") | $(mib "$(v "$k:idle_rss_kib")") | $(mib "$(v "$k:peak_rss_kib")") | $(num "$(v "$k:per_request_kib")" 1) |" \
        "$(num "$(v "$k:cpu_seconds")" 2) | $(v "$k:requests") | $(v "$k:errors") | $(num "$(v "$k:seconds")" 1) |"
    done
    echo
  fi
  if wants growth; then
    echo "## Cost as a thread grows (sequential requests, c=1)"
    echo
    echo "\`items.list\` (limit 20, newest first) and \`respond\` (\`threads.add_user_message\`, 20-word echo)"
    echo "on one thread of 20 (one full page), 1,000 and 10,000 items. Flat means the last column stays near 1."
    echo
    echo "| store | request | 20 items p50 ms | 1k p50 ms | 10k p50 ms | 10k p99 ms | 10k / 20 items (p50) |"
    echo "|---|---|---:|---:|---:|---:|---:|"
    for t in memory sqlite; do
      for op in items respond; do
        echo "| $t | $op | $(num "$(v "${op}20:$t:p50_ms")" 3) | $(num "$(v "${op}1000:$t:p50_ms")" 3) | $(num "$(v "${op}10000:$t:p50_ms")" 3) |" \
          "$(num "$(v "${op}10000:$t:p99_ms")" 3) | $(ratio "$(v "${op}10000:$t:p50_ms")" "$(v "${op}20:$t:p50_ms")") |"
      done
    done
    echo
  fi
  if wants store; then
    echo "## Stores: one thread of 100,000 items (\`bench/src/bin/storebench.rs\`)"
    echo
    echo "Filled by 32 concurrent writers (\`add_thread_item\`), then 2,000 sequential \`items.list\`"
    echo "pages of 20, newest first: the first page, and the page after a random cursor."
    echo "PostgreSQL: local server, own schema, pool of 32."
    echo
    echo "| store | writes/s | vs memory | first page p50 µs | p99 µs | after cursor p50 µs | p99 µs | p99 vs memory |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for s in memory sqlite postgres; do
      k="store:$s"
      echo "| $s | $(num "$(v "$k:writes_per_second")") | $(ratio "$(v "$k:writes_per_second")" "$(v store:memory:writes_per_second)") |" \
        "$(v "$k:head_p50_us") | $(v "$k:head_p99_us") | $(v "$k:cursor_p50_us") | $(v "$k:cursor_p99_us") |" \
        "$(ratio "$(v "$k:cursor_p99_us")" "$(v store:memory:cursor_p99_us)") |"
    done
    echo
  fi
  if [ -n "$WIDGET_TABLE" ]; then
    echo "$WIDGET_TABLE"
  fi
} >bench/RESULTS.md
log "wrote bench/RESULTS.md"
if [ -z "$REPORT_ONLY" ] && wants widgets; then
  cleanup # the servers are done; give the cores to the widget benchmark
  bash bench/widgets.sh
fi
