#!/usr/bin/env python3
"""Table 2 of scripts/bench.sh: the CLI against jq on the same generated export, in one run.

    scripts/bench-cli.py SSM_DOCTOR SIZE_MB ...

jq does what a person would do instead: filter the NON_COMPLIANT instances of the export. The
CLI does the whole diagnosis and writes its report (fleet form). Times are wall clock; peak
memory is the child's maximum resident set (getrusage), against the input's size. Each tool runs
RUNS times, the two alternated (a run on this 2-core machine varies by 15% from the next), and the
table gives each one's median time and largest peak.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_CLI_RUNS", "3"))

JQ_FILTER = (
    "[.InstancePatchStates[] | select(.MissingCount + .FailedCount + "
    ".InstalledPendingRebootCount + .InstalledRejectedCount > 0)] | length"
)


def run(argv, stdin=None):
    """(seconds, peak RSS in bytes) of running argv, its output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{argv[0]} failed: {proc.stderr.read().decode(errors='replace')}")
    return seconds, usage.ru_maxrss * 1024


def measure(doctor, size_mb):
    """One export of about size_mb: (its size, instances, jq's and the CLI's (seconds, peak))."""
    with tempfile.TemporaryDirectory() as tmp:
        sample = subprocess.run([doctor, "generate", "--kind", "instance-patch-states", "--instances", "1000"],
                                capture_output=True, check=True).stdout
        instances = max(1, round(size_mb * 1e6 / (len(sample) / 1000)))
        path = os.path.join(tmp, "fleet.json")
        with open(path, "wb") as f:
            subprocess.run([doctor, "generate", "--kind", "instance-patch-states", "--instances", str(instances)],
                           stdout=f, check=True)
        size = os.path.getsize(path)
        # Warm the page cache, so neither run pays for the first read from disk.
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
        jq, cli = [], []
        for _ in range(RUNS):
            jq.append(run(["jq", JQ_FILTER, path]))
            cli.append(run([doctor, "--format", "json", path]))
    return size, instances, typical(jq), typical(cli)


def typical(runs):
    """The median time and the largest peak of a tool's runs."""
    return statistics.median(s for s, _ in runs), max(rss for _, rss in runs)


def main():
    doctor, sizes = sys.argv[1], [float(a) for a in sys.argv[2:]]
    print(f"Table 2: the CLI against jq on generated describe-instance-patch-states exports (median of {RUNS} runs each)")
    print(f"{'input':<22} {'tool':<36} {'seconds':>8} {'x jq time':>10} {'peak MiB':>9} {'x input':>8}")
    for size_mb in sizes:
        size, instances, (jq_s, jq_rss), (cli_s, cli_rss) = measure(doctor, size_mb)
        label = f"{size / 1e6:.0f} MB ({instances})"
        print(f"{label:<22} {'jq (filter the non-compliant)':<36} {jq_s:>8.2f} {1.0:>10.2f} {jq_rss / 2**20:>9.0f} {jq_rss / size:>8.2f}")
        print(f"{'':<22} {'ssm-doctor (diagnosis, JSON report)':<36} {cli_s:>8.2f} {cli_s / jq_s:>10.2f} {cli_rss / 2**20:>9.0f} {cli_rss / size:>8.2f}")
    print("targets: ssm-doctor <= 0.25x jq's time (stretch 0.1x), peak <= 2.5x the input")


if __name__ == "__main__":
    main()
