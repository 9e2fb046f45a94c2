#!/usr/bin/env bash
# Measures wxsim's throughput for POST /v1/memberships with keep-alive: starts wxsim on port 0
# with a rate limit far above what it can serve, seeds a room, runs wrk (2 threads, 16
# connections, 5 s) with a Lua script that gives every request a new email, prints req/s and
# the share of non-200 answers, and stops wxsim.
# Usage: bench/sim_wrk.sh [BUILD_DIR]   (default: build)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${1:-build}"
wxsim="${build_dir}/bin/wxsim"
command -v wrk >/dev/null || { echo "sim_wrk: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[[ -x "${wxsim}" ]] || { echo "sim_wrk: ${wxsim} not built" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
    if [[ -n "${pid}" ]]; then kill -TERM "${pid}" 2>/dev/null || true; wait "${pid}" 2>/dev/null || true; fi
    rm -rf "${work}"
}
trap cleanup EXIT

"${wxsim}" --port 0 --port-file "${work}/port" --token bench-token --rate 10000000 \
    --burst 10000000 --quiet >"${work}/wxsim.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do [[ -s "${work}/port" ]] && break; sleep 0.05; done
[[ -s "${work}/port" ]] || { echo "sim_wrk: wxsim did not start" >&2; cat "${work}/wxsim.log" >&2; exit 1; }
port="$(cat "${work}/port")"
base="http://127.0.0.1:${port}"

curl -sf -X POST "${base}/_sim/seed" -d '{"rooms":[{"id":"BENCH_ROOM","title":"bench"}]}' >/dev/null

WXSIM_ROOM=BENCH_ROOM WXSIM_TOKEN=bench-token \
    wrk -t2 -c16 -d5s -s "${here}/sim_post_membership.lua" "${base}" | tee "${work}/wrk.txt"

rps="$(awk '/Requests\/sec/ {print $2}' "${work}/wrk.txt")"
stats="$(curl -sf "${base}/_sim/stats")"
ok="$(printf '%s' "${stats}" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["by_status"].get("200",0), s["requests"])')"
echo "wxsim POST /v1/memberships: ${rps} req/s (200 answers / requests: ${ok})"
