#!/usr/bin/env bash
# Fuzzes the parsers of user files and the tokenizers (fuzz/, cargo-fuzz + libFuzzer), one target after another
# on one core so the machine stays usable, and prints per target: CPU seconds, executions, executions per
# second and the crashes, timeouts and out-of-memory inputs found. Not part of `make test`: it needs nightly and
# takes as long as you give it.
#
#   scripts/fuzz.sh [CPU-seconds-per-target] [target…]     (default 60, all targets)
#
# Each run keeps going after a crash (a new chunk starts from the corpus), so one bug does not hide the next. Findings land in
# fuzz/artifacts/<target>/; replay one with `cargo +nightly fuzz run <target> <file>`, fix it, and copy the file
# to crates/engine/tests/fuzz_regressions/<target>/ (crates/embed/… for the tokenizers) so `cargo test` keeps it.
# Logs: fuzz/logs/<target>.log (libFuzzer's own output) and fuzz/logs/summary.tsv (the table).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

seconds="${1:-60}"
shift || true
CARGO_FUZZ_VERSION=0.13.1

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build
binaries="fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release"
logs=fuzz/logs
mkdir -p "$logs"
summary="$logs/summary.tsv"
[ -f "$summary" ] || printf 'target\tcpu_s\twall_s\texecutions\texecs_per_cpu_s\tcrashes\ttimeouts\tooms\tfinished_utc\n' >"$summary"

# The machine may be shared: the budget is CPU seconds (user + sys, every process waited for), not wall time. A
# target runs in chunks until it has had its CPU (or FUZZ_MAX_WALL seconds passed); after a crash, timeout or
# out-of-memory the next chunk simply goes on from the corpus, so one bug does not end the run.
max_wall="${FUZZ_MAX_WALL:-$(( seconds * 8 ))}"
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  seeds=()
  [ -d "fuzz/seeds/$target" ] && seeds=("fuzz/seeds/$target")
  before=$(ls "fuzz/artifacts/$target" | wc -l)
  log="$logs/$target.log"
  : >"$log"
  echo "fuzzing $target for ${seconds} CPU seconds (log: $log)"
  started=$(date +%s)
  cpu=0
  executions=0
  chunks=0
  while :; do
    wall=$(( $(date +%s) - started ))
    remaining=$(awk -v s="$seconds" -v c="$cpu" 'BEGIN { printf "%d", s - c }')
    [ "$remaining" -gt 0 ] && [ "$wall" -lt "$max_wall" ] || break
    chunk=$(( remaining < 30 ? 30 : remaining ))
    chunks=$(( chunks + 1 ))
    echo "=== chunk $chunks: -max_total_time=$chunk (CPU so far ${cpu}s, wall ${wall}s)" >>"$log"
    # The built fuzzer itself, not `cargo fuzz run`: that would rebuild after a source change inside the timing.
    /usr/bin/time -f '%U %S' -o "$logs/$target.cpu" \
      "$binaries/$target" -artifact_prefix="fuzz/artifacts/$target/" -max_total_time="$chunk" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 "fuzz/corpus/$target" "${seeds[@]}" >>"$log.chunk" 2>&1 || true
    cat "$log.chunk" >>"$log"
    # GNU time writes "Command exited with non-zero status N" before the figures when the fuzzer found something:
    # only the last line holds user and system seconds.
    cpu=$(tail -n 1 "$logs/$target.cpu" | awk -v c="$cpu" '{ printf "%.1f", c + $1 + $2 }')
    # libFuzzer's final statistics (also printed on a crash); the last progress line ("#N") if they are missing.
    ran=$(grep -aoE 'stat::number_of_executed_units: [0-9]+' "$log.chunk" | tail -1 | tr -dc '0-9')
    [ -n "$ran" ] || ran=$(grep -aoE '^#[0-9]+' "$log.chunk" | tail -1 | tr -dc '0-9')
    executions=$(( executions + ${ran:-0} ))
    rm -f "$log.chunk"
  done
  wall=$(( $(date +%s) - started ))
  new=$(ls -t "fuzz/artifacts/$target" | head -n $(( $(ls "fuzz/artifacts/$target" | wc -l) - before )))
  crashes=$(grep -c '^crash-' <<<"$new" || true)
  timeouts=$(grep -c '^timeout-' <<<"$new" || true)
  ooms=$(grep -c -E '^(oom|leak)-' <<<"$new" || true)
  rate=$(awk -v e="$executions" -v c="$cpu" 'BEGIN { printf "%.0f", (c > 0 ? e / c : 0) }')
  printf '%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$cpu" "$wall" "$executions" "$rate" "$crashes" \
    "$timeouts" "$ooms" "$(date -u +%H:%M:%S)" >>"$summary"
done

echo
column -t -s $'\t' "$summary"
