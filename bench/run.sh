#!/usr/bin/env bash
# `make bench`: wxbatch against wxsim on loopback, printing ratios and the command behind each:
# the rate-limited reference job (21,000 rows at 500 req/s), the same with the limit dropping
# to 200 req/s halfway, unthrottled throughput against wrk, CPU per 1,000 rows, peak RSS at
# 21,000 and 1,000,000 rows, and the time to the first request of a --resume near the end.
# Takes about 5 minutes (BENCH_QUICK=1: about 3, without the 16-worker variants; BENCH_LONG=1
# adds a 200,000-row rate-limited job, about 7 minutes more; BENCH_ONLY=rate-limited|drop|long
# with BENCH_REPEAT=N runs one rate-limited scenario N times).
# Usage: bench/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${1:-build}"
for tool in wrk python3; do
    command -v "${tool}" >/dev/null || { echo "bench: ${tool} is not installed" >&2; exit 2; }
done
for bin in wxbatch wxsim; do
    [[ -x "${build_dir}/bin/${bin}" ]] || { echo "bench: ${build_dir}/bin/${bin} not built" >&2; exit 2; }
done
quick=()
[[ -n "${BENCH_QUICK:-}" ]] && quick=(--quick)
exec python3 "${here}/bench.py" "${build_dir}" "${quick[@]}"
