#!/usr/bin/env bash
# The logic of the planlens GitHub Action (action.yml at the repository root runs it, one
# subcommand per step; tests/ci_action.rs runs it with a fake GITHUB_* environment).
#
#   github-action.sh key       cache key of this checkout's sources  -> $GITHUB_OUTPUT key=
#   github-action.sh install   cargo install planlens into $PLANLENS_ROOT unless it is there
#   github-action.sh run       review, write the reports, the job summary and the outputs
#   github-action.sh finish    fail the step with the review's exit code ($CODE)
#
# `run` reads the action's inputs from INPUT_PATH, INPUT_FAIL_ON, INPUT_FORMAT,
# INPUT_BASELINE, INPUT_CONFIG, INPUT_PERMALINK_BASE, INPUT_OUTPUT_DIR; PLANLENS names the
# binary (default: planlens on PATH). It always exits 0 once the reports are written, so
# every output is set; `finish` then fails the job when planlens said so (1: findings at
# or above fail-on, 2: unusable input).
set -euo pipefail

action_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi
}

# `name=value` lines for the step's outputs; GITHUB_OUTPUT must be set.
output() {
  printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: run this as a GitHub Actions step}"
}

cmd_key() {
  # Everything `cargo install` builds from: the same hash means the cached binary is current.
  local hash
  hash="$(cd "$action_dir" && find Cargo.toml Cargo.lock src -type f | LC_ALL=C sort |
    while IFS= read -r f; do printf '%s  ' "$f"; sha256 <"$f"; done | sha256 | cut -c1-16)"
  output key "planlens-$(uname -s)-$(uname -m)-$hash"
}

cmd_install() {
  local root="${PLANLENS_ROOT:?PLANLENS_ROOT is not set}"
  if [ -x "$root/bin/planlens" ]; then
    echo "planlens: using the cached build in $root"
  else
    echo "planlens: building the CLI from $action_dir (cached for later runs)"
    cargo install --locked --path "$action_dir" --root "$root" --bin planlens
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$root/bin" >>"$GITHUB_PATH"
  fi
}

# The file an extra format is written to, under the output folder.
file_of() {
  case "$1" in
    json) echo planlens.json ;;
    sarif) echo planlens.sarif ;;
    markdown) echo planlens.md ;;
    text) echo planlens.txt ;;
    csv) echo planlens.csv ;;
    junit) echo planlens-junit.xml ;;
    gitlab) echo gl-code-quality-report.json ;;
    *) return 1 ;;
  esac
}

cmd_run() {
  local planlens="${PLANLENS:-planlens}"
  if ! command -v "$planlens" >/dev/null 2>&1; then
    echo "::error title=planlens::no planlens binary ($planlens); the install step builds it"
    exit 1
  fi
  local fail_on="${INPUT_FAIL_ON:-high}"
  local out="${INPUT_OUTPUT_DIR:-}"
  [ -n "$out" ] || out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/planlens"
  mkdir -p "$out"

  # Paths: split on spaces and newlines, never globbed.
  local paths=() word
  set -f
  for word in ${INPUT_PATH:-.}; do paths+=("$word"); done
  set +f
  [ ${#paths[@]} -gt 0 ] || paths=(.)

  local args=(check "${paths[@]}" --fail-on "$fail_on")
  [ -z "${INPUT_BASELINE:-}" ] || args+=(--baseline "$INPUT_BASELINE")
  [ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")

  # The review for the log, with the permalink (stderr) when a base URL is given.
  local code=0 link=""
  local linkargs=()
  [ -z "${INPUT_PERMALINK_BASE:-}" ] || linkargs=(--permalink "$INPUT_PERMALINK_BASE")
  # ${a[@]+"${a[@]}"}: an empty array under `set -u` in bash 3.2 (macOS runners).
  "$planlens" "${args[@]}" --format json ${linkargs[@]+"${linkargs[@]}"} >"$out/planlens.json" 2>"$out/stderr.txt" || code=$?
  if [ -n "${INPUT_PERMALINK_BASE:-}" ]; then
    link="$(grep -F -- "${INPUT_PERMALINK_BASE}#v1." "$out/stderr.txt" | tail -n 1 || true)"
  fi
  grep -v -F -- "#v1." "$out/stderr.txt" >&2 || true
  "$planlens" "${args[@]}" --format text 2>/dev/null || true
  "$planlens" "${args[@]}" --format sarif >"$out/planlens.sarif" 2>/dev/null || true
  "$planlens" "${args[@]}" --format markdown >"$out/planlens.md" 2>/dev/null || true

  local f file
  set -f
  for f in $(printf '%s' "${INPUT_FORMAT:-}" | tr ',' ' '); do
    if ! file="$(file_of "$f")"; then
      echo "::warning title=planlens::unknown format '$f' (json, sarif, markdown, text, csv, junit, gitlab)"
      continue
    fi
    "$planlens" "${args[@]}" --format "$f" >"$out/$file" 2>/dev/null || true
    output "$f" "$out/$file"
  done
  set +f

  # Counts from the JSON report: unsuppressed findings per severity (with a baseline,
  # the new ones only), suppressed ones, and the baseline's comparison.
  local counts
  if ! counts="$(python3 - "$out/planlens.json" <<'PY'
import json, sys
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        report = json.load(f)
except (OSError, ValueError):
    report = {"findings": []}
sev = ["critical", "high", "medium", "low", "info"]
n = dict.fromkeys(sev, 0)
suppressed = 0
for f in report.get("findings", []):
    if f.get("suppressed") is None:
        n[f.get("severity")] = n.get(f.get("severity"), 0) + 1
    else:
        suppressed += 1
base = report.get("baseline") or {}
for s in sev:
    print(f"{s}={n[s]}")
print(f"total={sum(n[s] for s in sev)}")
print(f"suppressed={suppressed}")
print(f"baselined={base.get('baselined', 0)}")
print(f"stale={len(base.get('stale', []))}")
PY
)"; then
    echo "::error title=planlens::python3 is needed to read the report's counts"
    counts=""
  fi
  printf '%s\n' "$counts" >>"$GITHUB_OUTPUT"
  output exit-code "$code"
  output sarif "$out/planlens.sarif"
  output markdown "$out/planlens.md"
  output json "$out/planlens.json"
  output report-dir "$out"
  output permalink "$link"

  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$out/planlens.md" >>"$GITHUB_STEP_SUMMARY"
    if [ -n "$link" ]; then
      printf '\n[Open this review in planlens](%s) (the report is in the link itself; nothing is uploaded)\n' "$link" >>"$GITHUB_STEP_SUMMARY"
    fi
  fi
  echo "planlens: exit code $code (0 clean, 1 findings at or above $fail_on, 2 unusable input); reports in $out"
}

cmd_finish() {
  case "${CODE:-0}" in
    0) exit 0 ;;
    1) echo "::error title=planlens::findings at or above ${INPUT_FAIL_ON:-the fail-on threshold}; see the job summary" ;;
    *) echo "::error title=planlens::the input could not be read completely; see the log" ;;
  esac
  exit "${CODE}"
}

case "${1:-}" in
  key) cmd_key ;;
  install) cmd_install ;;
  run) cmd_run ;;
  finish) cmd_finish ;;
  *)
    echo "usage: $0 key|install|run|finish" >&2
    exit 64
    ;;
esac
