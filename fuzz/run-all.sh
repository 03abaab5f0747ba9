#!/usr/bin/env bash
# Runs every fuzz target in turn for SECS seconds each (default 600), on the stable
# toolchain: cargo-fuzz needs nightly flags (-Zsanitizer), which RUSTC_BOOTSTRAP=1 unlocks.
#   cargo install cargo-fuzz && fuzz/seed.sh && fuzz/run-all.sh 600
# Logs: fuzz/logs/<target>.log; crashes: fuzz/artifacts/<target>/.
set -uo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
shift || true
targets=${*:-hcl tf_json permalink plan_json}
mkdir -p logs
for t in $targets; do
  echo "== $t ($secs s)"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -a "$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 \
    > "logs/$t.log" 2>&1
  echo "exit $? ; $(grep -E 'stat::number_of_executed_units|Done [0-9]+ runs' "logs/$t.log" | tail -2 | tr '\n' ' ')"
done
