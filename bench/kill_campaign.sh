#!/usr/bin/env bash
# Kill campaign: runs a job against wxsim (latency, 429s, 5xx and applied-then-failed faults),
# sends SIGKILL at random instants, resumes, repeats until the job is done, then compares
# wxsim's ledger with the input: rows applied 0 times (lost), more than once (duplicated), and
# whether run_summary.json's totals equal the ledger.
#
# usage: bench/kill_campaign.sh [--bin DIR] [--kills N] [--rows N] [--action A] [--seed S]
# Exit 0 when nothing was lost or duplicated and the totals match; 1 otherwise.
set -euo pipefail

bin=build/bin kills=10 rows=2000 action=memberships.create seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    --action) action=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
command -v jq >/dev/null || { echo "kill_campaign: jq is required (make deps)" >&2; exit 2; }

work=$(mktemp -d)
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

room=Y2lzY29zcGFyazovL3VzL1JPT00va2lsbC1jYW1wYWlnbg
token=kill-campaign-token
cat > "$work/profile.json" <<JSON
{"seed": $seed, "latency": {"mean_ms": 3, "jitter_ms": 2},
 "rate_limit": {"rate": 1500, "burst": 100, "retry_after_s": 1},
 "faults": [{"method": "POST", "path": "/v1/", "status": 503, "probability": 0.01}],
 "applied_then_failed": {"probability": 0.01, "mode": "mixed"}}
JSON
"$bin/wxsim" --port 0 --port-file "$work/port" --token "$token" --profile "$work/profile.json" \
  --quiet >"$work/wxsim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 500); do [ -s "$work/port" ] && break; sleep 0.01; done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"

case "$action" in
  memberships.create)
    curl -sf -X POST "$base/_sim/seed" -H 'Content-Type: application/json' \
      -d "{\"rooms\":[{\"id\":\"$room\",\"title\":\"kill campaign\"}]}" >/dev/null
    { echo "roomId,personEmail"; for i in $(seq "$rows"); do echo "$room,user$i@example.com"; done; } >"$work/in.csv"
    key() { echo "membership:$room:user$1@example.com"; } ;;
  people.create)
    { echo "email,displayName"; for i in $(seq "$rows"); do echo "person$i@example.com,Person $i"; done; } >"$work/in.csv"
    key() { echo "person:person$1@example.com"; } ;;
  *) echo "kill_campaign: action must be memberships.create or people.create" >&2; exit 2 ;;
esac

args=(run --input "$work/in.csv" --action "$action" --out "$work/out" --base-url "$base/v1"
      --batch-size 100 --max-inflight-batches 4 --max-inflight-requests 12 --retry-base-delay 0.05 --retry-max-delay 0.5
      --progress never)
export WEBEX_ACCESS_TOKEN=$token
done_runs=0 killed=0
while :; do
  resume=()
  # A kill before the first checkpoint leaves nothing to resume: that start counts as fresh.
  [ -f "$work/out/checkpoint.json" ] && resume=(--resume)
  "$bin/wxbatch" "${args[@]}" "${resume[@]}" >>"$work/wxbatch.out" 2>>"$work/wxbatch.err" &
  pid=$!
  if [ "$killed" -lt "$kills" ]; then
    sleep "0.$(printf '%03d' $((RANDOM % 400 + 20)))"
    if kill -9 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      killed=$((killed + 1))
      continue
    fi
  fi
  rc=0; wait "$pid" || rc=$?
  done_runs=$((done_runs + 1))
  [ "$rc" -eq 0 ] && break
  echo "kill_campaign: wxbatch exited $rc; see $work/wxbatch.err" >&2
  KEEP_WORK=1; exit 1
done

curl -sf "$base/_sim/ledger" >"$work/ledger.json"
for i in $(seq "$rows"); do key "$i"; done | jq -R . | jq -s . >"$work/expected.json"
count() {  # count <jq filter over $keys and the ledger>
  jq --slurpfile keys "$work/expected.json" "$1" "$work/ledger.json"
}
lost=$(count '[ $keys[0][] as $k | select((.[$k] // 0) == 0) ] | length')
dup=$(count '[ $keys[0][] as $k | select((.[$k] // 0) > 1) ] | length')
extra=$(count '($keys[0] | map({(.): true}) | add) as $set | [ keys[] | select($set[.] | not) ] | length')
applied=$(jq 'length' "$work/ledger.json")
processed=$(jq '.totals.processed' "$work/out/run_summary.json")
succeeded=$(jq '.totals.success + .totals.already_done' "$work/out/run_summary.json")
errors=$(jq '.totals.row_errors' "$work/out/run_summary.json")
resumes=$(jq '.resumes' "$work/out/run_summary.json")
totals_match=no
[ "$processed" -eq "$rows" ] && [ "$succeeded" -eq "$applied" ] && [ "$errors" -eq 0 ] && totals_match=yes

printf 'kill campaign: action=%s rows=%s kills=%s resumes=%s\n' "$action" "$rows" "$killed" "$resumes"
printf '  lost (applied 0 times): %s\n  duplicated (applied >1): %s\n  unexpected keys: %s\n' "$lost" "$dup" "$extra"
printf '  summary totals: processed=%s success+already_done=%s row_errors=%s; ledger keys=%s; match=%s\n' \
  "$processed" "$succeeded" "$errors" "$applied" "$totals_match"
if [ "$lost" -eq 0 ] && [ "$dup" -eq 0 ] && [ "$extra" -eq 0 ] && [ "$totals_match" = yes ]; then
  echo "  result: PASS"
else
  KEEP_WORK=1; echo "  result: FAIL (work dir kept: $work)"; exit 1
fi
