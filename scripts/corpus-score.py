#!/usr/bin/env python3
"""Precision and recall of an ssm-doctor build on the repository's corpus.

    scripts/corpus-score.py [path/to/ssm-doctor]     (default: the build tools.sh points at)

Samples: every entry of tests/corpus/healthy (no cause expected) and every sample listed in
tests/corpus/expected.toml (faulty samples and fixtures, with the causes they must give).
Prints, per sample that is wrong, what it gave; then:

- false causes: causes a sample gave that it should not have (a healthy sample gives none);
- samples with a false cause, out of all samples;
- recall: faulty samples (with at least one expected cause) whose every expected cause was found.

Numbers only: diagnosis/tests/corpus.rs is the test that fails.
"""
import json
import os
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def files_of(path):
    if os.path.isdir(path):
        return sorted(os.path.join(path, f) for f in os.listdir(path))
    return [path]


def causes(doctor, path):
    out = subprocess.run([doctor, "--format", "json", *files_of(path)], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    return sorted({f["ref"] for f in report["findings"] if f["role"] == "cause"})


def main():
    cache = os.environ.get("SSM_DOCTOR_CACHE", os.path.expanduser("~/.cache/ssm-compliance-doctor"))
    doctor = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(cache, "target")), "release", "ssm-doctor")
    with open(os.path.join(ROOT, "tests/corpus/expected.toml"), "rb") as f:
        expected = tomllib.load(f)
    samples = []
    healthy = os.path.join(ROOT, "tests/corpus/healthy")
    for name in sorted(os.listdir(healthy)):
        samples.append(("healthy", name, os.path.join(healthy, name), []))
    for name, spec in expected.get("faulty", {}).items():
        samples.append(("faulty", name, os.path.join(ROOT, "tests/corpus/faulty", name), spec["causes"]))
    for name, spec in expected.get("fixture", {}).items():
        samples.append(("fixture", name, os.path.join(ROOT, "tests/fixtures", name), spec["causes"]))

    false_causes = 0
    with_false = 0
    faulty = 0
    found = 0
    for group, name, path, want in samples:
        got = causes(doctor, path)
        extra = [r for r in got if r not in want]
        missing = [r for r in want if r not in got]
        false_causes += len(extra)
        with_false += bool(extra)
        if want:
            faulty += 1
            found += not missing
        if extra or missing:
            print(f"  {group}/{name}: gave {got or 'no cause'}, expected {want or 'no cause'}")
    healthy_count = sum(1 for s in samples if s[0] == "healthy")
    print(f"samples: {len(samples)} ({healthy_count} healthy, {len(samples) - healthy_count} faulty or fixtures)")
    print(f"false causes: {false_causes}; samples with a false cause: {with_false}/{len(samples)}")
    print(f"recall: {found}/{faulty} faulty samples with every expected cause found")


if __name__ == "__main__":
    main()
