#!/usr/bin/env python3
"""wxbatch benchmarks against wxsim on loopback (`make bench` runs this through bench/run.sh).

Every scenario starts its own wxsim on port 0, seeds a room, writes a memberships.create CSV,
runs the real `wxbatch run` and reads the figures from the child's rusage (wall time, user+sys
CPU, peak RSS) and from wxsim's /_sim/stats (requests by status). It prints one table of
ratios, each with the command that produced it. No figure here is asserted: these are
measurements, not tests.

usage: bench/bench.py BUILD_DIR [--quick]   (--quick: skip the 16-worker variants)
BENCH_LONG=1 adds a long job: 200,000 rows at the same limit (ideal 400 s, about 7 minutes),
where the pacer's probe, not its start-up, sets the figure.
BENCH_ONLY=rate-limited|drop|long runs that scenario alone (8 batches, 32 requests in flight),
BENCH_REPEAT=N times, one line per run: the pacer's figures vary from run to run (its start-up
rests on a few dozen answers), and one run says little.
"""

import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

TOKEN = "bench-token"
ROOM = "Y2lzY29zcGFyazovL3VzL1JPT00vYmVuY2g"


class Sim:
    """A wxsim process on port 0 with a JSON profile; stopped by stop()."""

    def __init__(self, build, work, name, profile):
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir)
        path = os.path.join(self.dir, "profile.json")
        with open(path, "w") as f:
            json.dump(profile, f)
        port_file = os.path.join(self.dir, "port")
        self.args = [os.path.join(build, "bin", "wxsim"), "--port", "0", "--port-file", port_file,
                     "--token", TOKEN, "--profile", path, "--quiet"]
        self.log = open(os.path.join(self.dir, "wxsim.log"), "w")
        self.proc = subprocess.Popen(self.args, stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(500):
            if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
                break
            time.sleep(0.01)
        with open(port_file) as f:
            self.base = "http://127.0.0.1:" + f.read().strip()
        self.post("/_sim/seed", {"rooms": [{"id": ROOM, "title": "bench"}]})

    def post(self, path, body):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            return json.load(r)

    def stats(self):
        with urllib.request.urlopen(self.base + "/_sim/stats") as r:
            return json.load(r)

    def row_requests(self):
        return self.stats()["by_endpoint"].get("POST /v1/memberships", 0)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait()
        self.log.close()


def write_csv(path, rows):
    with open(path, "w") as f:
        f.write("roomId,personEmail\n")
        chunk = []
        for i in range(1, rows + 1):
            chunk.append(f"{ROOM},user{i}@bench.example.com\n")
            if len(chunk) == 10000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))


def wxbatch_args(build, sim, csv, out, workers, resume=False, batch_size=None, requests=None):
    args = [os.path.join(build, "bin", "wxbatch"), "run", "--input", csv,
            "--action", "memberships.create", "--out", out, "--base-url", sim.base + "/v1",
            "--max-inflight-batches", str(workers), "--progress", "never",
            # BENCH_VERBOSE=1 keeps wxbatch's debug log (the pacer's decisions) in wxbatch.log.
            "-v" if os.environ.get("BENCH_VERBOSE") else "-q"]
    if requests:
        args += ["--max-inflight-requests", str(requests)]
    if batch_size:
        args += ["--batch-size", str(batch_size)]
    if resume:
        args.append("--resume")
    return args


class Child:
    """A child process whose rusage (wall, CPU, peak RSS) is collected by os.wait4."""

    def __init__(self, args, log_path):
        env = dict(os.environ, WEBEX_ACCESS_TOKEN=TOKEN)
        self.log = open(log_path, "w")
        self.start = time.monotonic()
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def _collect(self, flags):
        pid, status, usage = os.wait4(self.proc.pid, flags)
        if pid == 0:
            return False
        self.wall = time.monotonic() - self.start
        self.log.close()
        self.code = os.waitstatus_to_exitcode(status)
        self.cpu = usage.ru_utime + usage.ru_stime
        self.rss_mb = usage.ru_maxrss / 1024.0
        self.done = True
        return True

    def running(self):
        """True while the child runs (reaps it, with its rusage, when it has ended)."""
        return not (getattr(self, "done", False) or self._collect(os.WNOHANG))

    def wait(self):
        if not getattr(self, "done", False):
            self._collect(0)
        return self


def shown(args, work):
    """The command as printed: temporary paths shortened, the port kept out."""
    text = " ".join(shlex.quote(a) for a in args).replace(work + "/", "$W/")
    text = text.replace(os.path.dirname(os.path.dirname(os.path.dirname(args[0]))) + "/", "")
    parts = text.split()
    for i, p in enumerate(parts):
        if p == "--base-url":
            parts[i + 1] = "$SIM/v1"
    return "WEBEX_ACCESS_TOKEN=... " + " ".join(parts)


def share_429(stats):
    total = stats["requests"]
    return stats["by_status"].get("429", 0) / total if total else 0.0, total


def rate_limited(build, work, name, rows, workers, rate_limit, ideal_s, results, requests=None):
    profile = {"seed": 7, "latency": {"mean_ms": 20, "jitter_ms": 0}, "rate_limit": rate_limit}
    sim = Sim(build, work, f"scenario{len(results)}", profile)
    csv = os.path.join(sim.dir, "in.csv")
    write_csv(csv, rows)
    # One request per batch: small batches, or the last batches of the input would keep a few
    # lanes busy while the others have nothing left to take. With more requests than batches,
    # the lanes share the open batches and the default batch size serves.
    args = wxbatch_args(build, sim, csv, os.path.join(sim.dir, "out"), workers,
                        batch_size=None if requests else 25, requests=requests)
    child = Child(args, os.path.join(sim.dir, "wxbatch.log")).wait()
    stats = sim.stats()
    share, total = share_429(stats)
    seconds_429 = [t["second"] for t in stats["timeline"] if t["by_status"].get("429")]
    sim.stop()
    with open(os.path.join(sim.dir, "out", "run_summary.json")) as f:
        summary = json.load(f)
    in_flight = requests or workers
    concurrency_bound = rows * 0.020 / in_flight
    lanes = summary.get("rate_pacing", {}).get("in_flight", {})
    results.append({
        "scenario": f"{name}: {rows} rows, {workers} batches, {in_flight} requests in flight max",
        "figures": [
            (f"time / ideal ({child.wall:.1f} s / {ideal_s:.1f} s)", f"{child.wall / ideal_s:.3f}",
             "<= 1.05"),
            (f"429 share ({round(share * total)} of {total} requests)", f"{share * 100:.2f}%",
             "<= 1%"),
            (f"time / max(ideal, rows x 20 ms / in flight = {concurrency_bound:.1f} s)",
             f"{child.wall / max(ideal_s, concurrency_bound):.3f}", ""),
            ("state, rate-limit pauses", f"{summary['state']}, "
             f"{summary['rate_limit_waits']['count']} waits", ""),
            ("seconds (since wxsim started) with 429s", str(seconds_429), ""),
            ("in flight: peak, limit at the end", f"{lanes.get('peak')}, "
             f"{lanes.get('limit_at_end')}", ""),
            ("pacer: rate at the end, decreases", f"{summary.get('rate_pacing', {}).get('rate', 0):.0f}/s, "
             f"{summary.get('rate_pacing', {}).get('decreases')}", ""),
        ],
        "command": f"wxsim --profile '{json.dumps(profile)}'; " + shown(args, work),
    })


def unthrottled(build, work, workers, results):
    sim = Sim(build, work, "loopback", {"seed": 7})
    csv = os.path.join(sim.dir, "in.csv")
    rows = 21000
    write_csv(csv, rows)
    here = os.path.dirname(os.path.abspath(__file__))
    wrk_args = ["wrk", "-t2", f"-c{workers}", "-d3s", "-s",
                os.path.join(here, "sim_post_membership.lua"), sim.base]
    env = dict(os.environ, WXSIM_ROOM=ROOM, WXSIM_TOKEN=TOKEN)

    def wrk(run):
        # Each run its own emails: a repeated one is a 409, cheaper for wxsim than a creation.
        out = subprocess.run(wrk_args, env=dict(env, WXSIM_RUN=run), capture_output=True,
                             text=True).stdout
        if "Non-2xx" in out:
            sys.exit("bench: wrk was answered other than 200, its figure would not compare:\n" + out)
        return float(next(l.split()[1] for l in out.splitlines() if l.startswith("Requests/sec")))

    # wrk right before and right after wxbatch, averaged: on a shared machine the throughput of
    # both drifts from one minute to the next.
    wrk_before = wrk("before")
    args = wxbatch_args(build, sim, csv, os.path.join(sim.dir, "out"), workers)
    child = Child(args, os.path.join(sim.dir, "wxbatch.log")).wait()
    rows_per_s = rows / child.wall
    wrk_after = wrk("after")
    wrk_rps = (wrk_before + wrk_after) / 2
    sim.stop()
    results.append({
        "scenario": f"unthrottled loopback: {rows} rows, {workers} workers",
        "figures": [
            (f"wxbatch rows/s / wrk req/s ({rows_per_s:.0f} / {wrk_rps:.0f}: "
             f"{wrk_before:.0f} before, {wrk_after:.0f} after)",
             f"{rows_per_s / wrk_rps:.3f}", ">= 0.5"),
            ("CPU (user+sys) per 1,000 rows", f"{child.cpu / rows * 1000 * 1000:.1f} ms", ""),
            ("peak RSS, 21,000 rows", f"{child.rss_mb:.1f} MB", "< 64 MB"),
        ],
        "command": "wxsim (no limit, no latency); " + shown(args, work) + "; " +
                   " ".join(wrk_args[:-2]) + " bench/sim_post_membership.lua $SIM",
    })
    return child.rss_mb


def interrupt_at(build, sim, csv, out, workers, at_row, log):
    """Runs wxbatch until wxsim saw `at_row` row requests, then SIGINT: a checkpoint there."""
    args = wxbatch_args(build, sim, csv, out, workers)
    before = sim.row_requests()
    child = Child(args, log)
    while child.running() and sim.row_requests() - before < at_row:
        time.sleep(0.02)
    if child.running():
        child.proc.send_signal(signal.SIGINT)
    return child.wait(), args


def first_request_latency(build, sim, csv, out, workers, log, interrupt=False):
    """Starts `--resume` and polls wxsim until it sees the first row request; then lets it
    finish, or (`interrupt`) sends SIGINT."""
    before = sim.row_requests()
    args = wxbatch_args(build, sim, csv, out, workers, resume=True)
    child = Child(args, log)
    first = None
    while child.running():
        if sim.row_requests() > before:
            first = time.monotonic() - child.start
            break
        time.sleep(0.002)
    if interrupt and child.running():
        child.proc.send_signal(signal.SIGINT)
    child.wait()
    return first, child, args


def million(build, work, workers, rss_21k, results):
    sim = Sim(build, work, "million", {"seed": 7})
    csv = os.path.join(sim.dir, "in.csv")
    rows = 1000000
    write_csv(csv, rows)
    size_mb = os.path.getsize(csv) / 1e6
    # Near the end: 1M rows (99%), SIGINT, then the time to the first request of --resume.
    late_out = os.path.join(sim.dir, "out-late")
    late, late_args = interrupt_at(build, sim, csv, late_out, workers, 990000,
                                   os.path.join(sim.dir, "late.log"))
    with open(os.path.join(late_out, "checkpoint.json")) as f:
        cp = json.load(f)
    processed = cp.get("counters", {}).get("processed", "?")
    resumed_at = f"processed={processed}, next_row={cp.get('next_row', '?')}"
    late_first, late_resume, resume_args = first_request_latency(
        build, sim, csv, late_out, workers, os.path.join(sim.dir, "late-resume.log"))
    # The same early (row ~10,000), for comparison: resume time should not depend on the row.
    early_out = os.path.join(sim.dir, "out-early")
    interrupt_at(build, sim, csv, early_out, workers, 10000, os.path.join(sim.dir, "early.log"))
    early_first, _, _ = first_request_latency(build, sim, csv, early_out, workers,
                                              os.path.join(sim.dir, "early-resume.log"),
                                              interrupt=True)
    sim.stop()
    results.append({
        "scenario": f"1,000,000 rows ({size_mb:.0f} MB CSV), unthrottled, {workers} workers",
        "figures": [
            (f"peak RSS, run interrupted at ~990,000 rows ({late.wall:.1f} s)",
             f"{late.rss_mb:.1f} MB", "< 64 MB"),
            ("peak RSS 1M / peak RSS 21k", f"{late.rss_mb / rss_21k:.2f}", "<= 1.2"),
            ("CPU (user+sys) per 1,000 rows over ~990,000 rows",
             f"{late.cpu / 990 * 1000:.1f} ms", ""),
            (f"--resume at row ~990,000: start -> first row request",
             f"{late_first * 1000:.0f} ms" if late_first else "none seen", ""),
            (f"--resume at row ~10,000: start -> first row request (comparison)",
             f"{early_first * 1000:.0f} ms" if early_first else "none seen", ""),
            ("--resume at ~990,000: whole run (the last rows, reports)",
             f"{late_resume.wall:.2f} s, exit {late_resume.code}", ""),
        ],
        "command": shown(late_args, work) + "  (SIGINT when wxsim counted 990,000 rows); then " +
                   shown(resume_args, work),
        "note": f"checkpoint at interruption: {resumed_at}",
    })


def print_table(results):
    print()
    print("wxbatch benchmarks (bench/bench.py)")
    for r in results:
        print()
        print("== " + r["scenario"])
        for label, value, goal in r["figures"]:
            print(f"   {label:<72} {value:>14}   {('goal ' + goal) if goal else ''}")
        if r.get("note"):
            print("   " + r["note"])
        print("   command: " + r["command"])


def only(build, scenario, repeat):
    """BENCH_ONLY: one rate-limited scenario, `repeat` times, a line of figures per run."""
    limit = {"rate": 500, "burst": 50, "retry_after_s": 1}
    scenarios = {
        "rate-limited": ("rate-limited", 21000, limit, 21000 / 500),
        "drop": ("limit drops 500->200 at 21 s", 21000,
                 dict(limit, schedule=[{"after_s": 21, "rate": 200}]), 21 + 10500 / 200),
        "long": ("long job", 200000, limit, 200000 / 500),
    }
    if scenario not in scenarios:
        sys.exit(f"bench: BENCH_ONLY={scenario}: not one of {', '.join(scenarios)}")
    name, rows, rate_limit, ideal_s = scenarios[scenario]
    for run in range(1, repeat + 1):
        results = []
        with tempfile.TemporaryDirectory(prefix="wxbatch-bench-") as work:
            rate_limited(build, work, name, rows, 8, rate_limit, ideal_s, results, 32)
        figures = results[0]["figures"]
        if run == 1:
            print(results[0]["scenario"] + "\n  command: " + results[0]["command"])
        print(f"  run {run}: " + "; ".join(f"{label} {value}" for label, value, _ in figures),
              flush=True)


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
    quick = "--quick" in sys.argv
    if os.environ.get("BENCH_ONLY"):
        only(build, os.environ["BENCH_ONLY"], int(os.environ.get("BENCH_REPEAT", "1")))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="wxbatch-bench-") as work:
        limit = {"rate": 500, "burst": 50, "retry_after_s": 1}
        drop = dict(limit, schedule=[{"after_s": 21, "rate": 200}])
        drop_ideal = 21 + 10500 / 200  # 10,500 rows at 500/s, then 10,500 at 200/s
        # (batches, requests in flight): 8 batches one row at a time each cannot pass
        # 8 / 20 ms = 400 req/s; with 32 requests allowed the rows of a batch run side by side.
        configs = [(8, 32)] if quick else [(8, None), (8, 32)]
        for workers, requests in configs:
            rate_limited(build, work, "rate-limited", 21000, workers, limit, 21000 / 500,
                         results, requests)
            print_table(results[-1:])
        for workers, requests in configs:
            rate_limited(build, work, "limit drops 500->200 at 21 s", 21000, workers, drop,
                         drop_ideal, results, requests)
            print_table(results[-1:])
        if os.environ.get("BENCH_LONG"):
            rate_limited(build, work, "long job", 200000, 8, limit, 200000 / 500, results, 32)
            print_table(results[-1:])
        rss_21k = unthrottled(build, work, 8, results)
        print_table(results[-1:])
        million(build, work, 8, rss_21k, results)
        print_table(results[-1:])
    print("\n\n=== summary ===")
    print_table(results)


if __name__ == "__main__":
    main()
