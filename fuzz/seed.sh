#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the test fixtures and the built-in example.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/plan_json corpus/hcl corpus/tf_json corpus/permalink
cp "$root"/src/example/seed.plan.json corpus/plan_json/
find "$root"/tests/fixtures -name '*.plan.json' -exec cp {} corpus/plan_json/ \;
i=0
for f in $(find "$root"/tests/fixtures -name '*.tf' | sort); do cp "$f" corpus/hcl/$i.tf; i=$((i+1)); done
i=0
for f in $(find "$root"/tests/fixtures -name '*.tf.json' | sort); do cp "$f" corpus/tf_json/$i.tf.json; i=$((i+1)); done
# A well-formed envelope around a small report-shaped JSON (mode byte 1 = wrap).
printf '\x01{"planlens":"0.1.0","files":[],"report":{},"config":{}}' > corpus/permalink/wrapped
printf '\x00v1.eJyrVsrJz0tXslJQUqoFAB9aBGo' > corpus/permalink/raw
