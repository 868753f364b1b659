#!/usr/bin/env python3
"""Organisation scale: the same verdicts on two engines.

Generates a Resource Data Sync tree with `ssm-doctor generate --kind resource-data-sync`, then
- diagnoses it with the CLI (`ssm-doctor sync --format csv`);
- runs the SQL `ssm-doctor sql --engine duckdb` prints on DuckDB, over the same tree;
and requires the same (account, region, node, code, ref, kind, detail) rows from both, with
every branch of the fleet rules represented. Every statement `ssm-doctor sql` prints for Athena
is parsed by sqlglot: the views as Trino (Athena engine v3), the table definitions as Athena's
Hive DDL; the DuckDB script as DuckDB.

Usage: sql-parity.py SSM_DOCTOR [--accounts N --regions M --instances K]
Prints `sql: N nodes, R rows identical on the CLI and DuckDB; S statements parse` and exits 1 on
any difference.
"""
import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
import time

import duckdb
import sqlglot

NOW = "2026-12-01T00:00:00Z"
BRANCHES = {
    "instance-not-running", "sync-inventory-silent", "sync-patch-record-stale", "patch-data-missing", "patch-failed",
    "patch-pending-reboot", "patch-installed-rejected", "patch-missing", "install-succeeded-still-missing",
    "association-failed",
}


def statements(script):
    """The script's statements, comment lines dropped (a comment may hold a `;`)."""
    body = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ssm_doctor")
    ap.add_argument("--accounts", type=int, default=3)
    ap.add_argument("--regions", type=int, default=2)
    ap.add_argument("--instances", type=int, default=400)
    args = ap.parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as root:
        run([args.ssm_doctor, "generate", "--kind", "resource-data-sync", "--accounts", str(args.accounts),
             "--regions", str(args.regions), "--instances", str(args.instances), "--seed", "11", "--out", root])
        t0 = time.perf_counter()
        cli_csv = run([args.ssm_doctor, "sync", root, "--format", "csv", "--now", NOW])
        cli_s = time.perf_counter() - t0
        cli = {tuple(r.values()) for r in csv.DictReader(io.StringIO(cli_csv))}
        # The bucket's prefix as a folder above the types: the same rows.
        with tempfile.TemporaryDirectory() as parent:
            os.symlink(root, os.path.join(parent, "inventory"))
            if run([args.ssm_doctor, "sync", parent, "--format", "csv", "--now", NOW]) != cli_csv:
                failures.append("a tree under a prefix folder gives other rows")
        # The same tree as a .zip and a .tar.gz (read without unpacking): the same rows.
        import shutil
        for fmt, ext in [("zip", ".zip"), ("gztar", ".tar.gz")]:
            archive = shutil.make_archive(root + "-archive", fmt, root)
            try:
                if run([args.ssm_doctor, "sync", archive, "--format", "csv", "--now", NOW]) != cli_csv:
                    failures.append(f"the {ext} of the tree gives other rows than the folder")
            finally:
                os.remove(archive)
        duck_sql = run([args.ssm_doctor, "sql", "--engine", "duckdb", "--location", root, "--now", NOW])
        con = duckdb.connect()
        t0 = time.perf_counter()
        for stmt in statements(duck_sql):
            con.execute(stmt)
        rows = con.execute(
            "SELECT accountid, region, resourceid, code, ref, kind, detail FROM ssm_doctor_node_causes").fetchall()
        duck_s = time.perf_counter() - t0
        duck = {tuple("" if v is None else str(v) for v in r) for r in rows}
        nodes = con.execute("SELECT count(*) FROM ssm_doctor_node_facts").fetchone()[0]
        if cli != duck:
            only_cli, only_duck = sorted(cli - duck), sorted(duck - cli)
            failures.append(f"{len(only_cli)} rows only from the CLI, e.g. {only_cli[:3]}; "
                            f"{len(only_duck)} only from DuckDB, e.g. {only_duck[:3]}")
        missing = BRANCHES - {r[3] for r in cli}
        if missing:
            failures.append(f"branches not represented in the generated tree: {sorted(missing)}")
        # Both engines agree on the summary too.
        summary = con.execute("SELECT code, sum(nodes) FROM ssm_doctor_summary GROUP BY code").fetchall()
        by_code = {}
        for r in cli:
            by_code.setdefault(r[3], set()).add((r[0], r[1], r[2]))
        for code, n in summary:
            if len(by_code.get(code, ())) != n:
                failures.append(f"summary {code}: DuckDB {n}, CLI {len(by_code.get(code, ()))}")
    # Every statement parses with a real parser for its engine; first, the parser refuses what
    # Trino refuses (so a pass means something).
    for bad in ["SELECT a FROM t WHERE x = = 1", "CREATE OR REPLACE VIEW v AS SELECT FROM", "SELECT a FROM t t2 t3 t4"]:
        try:
            sqlglot.parse_one(bad, read="trino", error_level=sqlglot.ErrorLevel.RAISE)
            failures.append(f"the Trino parser accepted a broken statement: {bad}")
        except sqlglot.errors.ParseError:
            pass
    parsed = 0
    athena = run([args.ssm_doctor, "sql", "--engine", "athena", "--location", "s3://example-sync-bucket/inventory",
                  "--accounts", "111111111111,222222222222", "--regions", "eu-west-1,us-east-1"])
    for stmt in statements(athena):
        dialect = "athena" if stmt.upper().startswith("CREATE EXTERNAL TABLE") else "trino"
        try:
            sqlglot.parse_one(stmt, read=dialect, error_level=sqlglot.ErrorLevel.RAISE)
            parsed += 1
        except sqlglot.errors.ParseError as e:
            failures.append(f"{dialect} cannot parse: {stmt[:80]}…: {e}")
    for stmt in statements(duck_sql):
        try:
            sqlglot.parse_one(stmt, read="duckdb", error_level=sqlglot.ErrorLevel.RAISE)
            parsed += 1
        except sqlglot.errors.ParseError as e:
            failures.append(f"duckdb cannot parse: {stmt[:80]}…: {e}")
    for f in failures:
        print("FAIL", f)
    print(f"sql: {nodes} nodes, {len(cli)} rows {'identical' if cli == duck else 'DIFFERENT'} on the CLI ({cli_s:.2f} s) "
          f"and DuckDB ({duck_s:.2f} s); {parsed} statements parse (Trino, Athena DDL, DuckDB)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
