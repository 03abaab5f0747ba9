#!/usr/bin/env bash
# A real-Terraform plan for the benchmark set: plans gen.py's HCL of N resources
# (bench/out/hcl-N, valid Terraform) with ../shared/tools/real-plan (Terraform and the AWS
# provider, offline) into bench/out/real-plan-N.json. Exit 3 when terraform or the provider
# mirror is missing (as real-plan), so the benchmark set then goes without it.
#     bench/real-plan.sh [N]        # default 1000; about 15 s
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
[ -d "bench/out/hcl-$n" ] || python3 bench/gen.py "$n" bench/out >/dev/null
exec "${REAL_PLAN:-../shared/tools/real-plan}" "bench/out/hcl-$n" "bench/out/real-plan-$n.json"
