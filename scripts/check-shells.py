#!/usr/bin/env python3
"""Every command a person copies, checked by real shell parsers, not by our own rules.

What is checked:
  - every command template, rendered for an EC2 instance, a hybrid node and a fleet group
    (`ssm-doctor catalogue --format commands`);
  - every command of the report of every fixture and corpus sample (`ssm-doctor FILE`);
  - the four collector scripts (`ssm-doctor collect`).

bash: `bash -n` (syntax) and ShellCheck (quoting, at severity warning) on each distinct text.
PowerShell: the tree-sitter PowerShell grammar. A text must parse without an error node, and
every argument of a native command (aws, dism, findstr, netsh, w32tm, wusa, sfc, ssm-cli) must
be one string: an unquoted comma makes PowerShell pass an array (two arguments to aws.exe),
and a `$`, `@`, `{`, `(` or backtick outside single quotes is expanded. The only expansions
allowed are the ones the hand-written PowerShell forms mean (ALLOWED_EXPANSIONS).

Usage: check-shells.py SSM_DOCTOR REPO_ROOT [--lenient] (--lenient measures an older build). Prints one line per problem, then
"shells: N passed, M failed", and exits non-zero on any problem.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import tree_sitter_powershell
from tree_sitter import Language, Parser

NATIVE = {"aws", "dism", "findstr", "netsh", "w32tm", "wusa", "sfc"}
# Arguments that expand on purpose: the loop variable of find-instance-region, the WSUS URI's
# parts, the lookup-events start time, the collector's output file.
ALLOWED_EXPANSIONS = {
    "$r",
    "$u.Host",
    "$u.Port",
    "$out",
    # One line of a fleet group's node file, split: an array, so each id is one argument.
    "$ids",
    "$([DateTimeOffset]::UtcNow.AddDays(-2).ToUnixTimeSeconds())",
}

PS = Parser(Language(tree_sitter_powershell.language()))
# --lenient: measure an older build that cannot list its templates or write every collector.
LENIENT = "--lenient" in sys.argv


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def gather(doctor, root):
    """(origin, dialect, text) for every command a person can copy."""
    out = []
    listed = run([doctor, "catalogue", "--format", "commands"], check=not LENIENT)
    if listed.returncode != 0:
        # An older build has no template listing: its reports and collectors are still checked.
        print("note: this ssm-doctor cannot list its templates; checking its reports and collectors")
    catalogue = json.loads(listed.stdout) if listed.returncode == 0 else []
    for c in catalogue:
        origin = f"template {c['template']} ({c['node']})"
        if c["shell"] == "aws-cli":
            out.append((origin, "bash", c["text"]))
            out.append((origin, "powershell", c["powershell"]))
        else:
            out.append((origin, "powershell" if c["shell"] == "powershell" else "bash", c["text"]))
    files = []
    for sub in ("tests/fixtures", "tests/corpus/healthy", "tests/corpus/faulty"):
        base = os.path.join(root, sub)
        for dirpath, _, names in os.walk(base):
            files += [os.path.join(dirpath, n) for n in sorted(names) if not n.endswith(".md")]
    for path in files:
        for lang in ("en", "zh-CN"):
            r = run([doctor, "--format", "json", "--lang", lang, "--region", "eu-west-1", path])
            if r.returncode != 0:
                continue
            report = json.loads(r.stdout)
            for finding in report.get("findings", []):
                for c in finding.get("commands", []):
                    origin = f"{os.path.relpath(path, root)} {finding.get('ref')}"
                    if c["shell"] == "aws-cli":
                        out.append((origin, "bash", c["text"]))
                        out.append((origin, "powershell", c.get("powershell") or c["text"]))
                    else:
                        out.append((origin, "powershell" if c["shell"] == "powershell" else "bash", c["text"]))
    for shell, dialect in (("bash", "bash"), ("node-linux", "bash"), ("node-macos", "bash"),
                           ("powershell", "powershell"), ("node-windows", "powershell")):
        for instance in ("i-0123456789abcdef0", "mi-0123456789abcdef0"):
            collected = run([doctor, "collect", "--instance", instance, "--region", "eu-west-1",
                             "--profile", "support", "--shell", shell])
            if collected.returncode != 0 and LENIENT:
                continue
            collected.check_returncode()
            script = collected.stdout
            out.append((f"collector {shell} {instance}", dialect, script))
    return out


def check_bash(texts):
    """Problems per text: bash -n, then ShellCheck (one run over all files)."""
    problems = {}
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, text in enumerate(texts):
            path = os.path.join(tmp, f"c{i}.sh")
            with open(path, "w") as f:
                f.write("#!/usr/bin/env bash\n" + text + "\n")
            paths[path] = text
            r = run(["bash", "-n", path])
            if r.returncode != 0:
                problems.setdefault(text, []).append("bash -n: " + r.stderr.strip().replace(path, "cmd"))
        r = run(["shellcheck", "--severity=warning", "--format=json1", "--shell=bash", *paths])
        for comment in json.loads(r.stdout or '{"comments": []}')["comments"]:
            text = paths[comment["file"]]
            problems.setdefault(text, []).append(f"ShellCheck SC{comment['code']}: {comment['message']}")
    return problems


def ps_problems(text):
    tree = PS.parse(text.encode())
    problems = []

    def walk(node):
        # The grammar reads `Select-Object Name,Status` (an array argument, which a cmdlet
        # means) as two tokens with a zero-width separator it marks missing. That is PowerShell's
        # own reading of a bare comma: fine for a cmdlet, and caught below for a native command.
        array_sep = node.is_missing and (
            node.type == "command_argument_sep" or (node.parent is not None and node.parent.type == "command_argument_sep")
        )
        if node.type == "ERROR" or (node.is_missing and not array_sep):
            problems.append(f"does not parse near `{node.text.decode()[:60]}`")
            return
        if node.type == "command":
            check_command(node)
        for child in node.children:
            walk(child)

    def check_command(command):
        name = command.child_by_field_name("command_name")
        name_text = name.text.decode() if name is not None else ""
        base = name_text.lower().rsplit("\\", 1)[-1].removesuffix(".exe")
        invoked = any(c.type == "&" or c.text == b"&" for c in command.children)
        native = base in NATIVE or base.endswith("ssm-cli") or invoked
        if not native:
            return
        elements = next((c for c in command.children if c.type == "command_elements"), None)
        if elements is None:
            return
        previous_sep_empty = False
        for child in elements.children:
            if child.type == "command_argument_sep":
                previous_sep_empty = child.text.strip() == b"" and len(child.text) == 0
                continue
            arg = child.text.decode()
            if child.type in ("redirection", "file_redirection", "merging_redirection", "redirections"):
                previous_sep_empty = False
                continue
            if previous_sep_empty:
                problems.append(f"`{name_text}` gets `{arg}` as a separate argument (split at a comma?)")
            previous_sep_empty = False
            if child.type in ("generic_token", "command_parameter"):
                # The grammar reads a bare `<region>` as a word; PowerShell itself refuses it
                # ("The '<' operator is reserved for future use").
                bare = re.sub(r"'[^']*'|\"[^\"]*\"", "", arg)
                redirect = re.fullmatch(r"\d?>{1,2}(&\d|\$null)", arg)
                if ("<" in bare or ">" in bare) and not redirect:
                    problems.append(f"`{name_text}`: `{arg}` holds `<` or `>` outside quotes")
                if "," in arg:
                    problems.append(f"`{name_text}`: `{arg}` is an array in PowerShell")
                continue
            if child.type == "array_literal_expression":
                elements_of = [c for c in child.children if c.type != ","]
                if len(elements_of) != 1 or any(c.type == "," for c in child.children):
                    problems.append(f"`{name_text}`: `{arg}` is an array in PowerShell")
                    continue
                if arg in ALLOWED_EXPANSIONS or arg.isdigit():
                    continue
                inner = elements_of[0]
                kinds = set()

                def collect(n):
                    kinds.add(n.type)
                    for c in n.children:
                        collect(c)

                collect(inner)
                if "verbatim_string_characters" in kinds or arg.startswith("'"):
                    continue
                if "expandable_string_literal" in kinds and not ({"variable", "sub_expression"} & kinds):
                    continue
                problems.append(f"`{name_text}`: `{arg}` is expanded by PowerShell")
                continue
            if arg not in ALLOWED_EXPANSIONS:
                problems.append(f"`{name_text}`: `{arg}` ({child.type}) is not a plain string")

    walk(tree.root_node)
    return problems


# The checker itself must tell right from wrong: texts it must refuse, and texts it must pass.
SELF_TEST_BAD_PS = [
    "aws ssm describe-instance-patches --instance-id i-1 --filters Key=State,Values=Missing",
    "aws ssm send-command --parameters Operation=Install,RebootOption=RebootIfNeeded --instance-ids i-1",
    'aws ssm list-commands --filters "key=DocumentName,value=$doc"',
    "aws ssm describe-instance-information --region <region>",
    "aws ssm x --tags @tags",
]
SELF_TEST_GOOD_PS = [
    'aws ssm describe-instance-patches --instance-id i-1 --filters "Key=State,Values=Missing"',
    "aws ssm describe-instance-information --region '<region>' --max-results 5",
    "Get-Service -Name wuauserv,bits | Select-Object Name,Status",
]
SELF_TEST_BAD_BASH = ["aws ssm x --instance-id <instance-id> --region <region>", "for r in a; do echo $r; done --profile p"]
SELF_TEST_GOOD_BASH = ["aws ssm x --instance-id '<instance-id>' --filters \"Key=State,Values=<state>\""]


def self_test():
    problems = []
    problems += [f"passed a bad PowerShell text: {t}" for t in SELF_TEST_BAD_PS if not ps_problems(t)]
    problems += [f"refused a good PowerShell text: {t}: {ps_problems(t)}" for t in SELF_TEST_GOOD_PS if ps_problems(t)]
    bash = check_bash(SELF_TEST_BAD_BASH + SELF_TEST_GOOD_BASH)
    problems += [f"passed a bad bash text: {t}" for t in SELF_TEST_BAD_BASH if not bash.get(t)]
    problems += [f"refused a good bash text: {t}: {bash.get(t)}" for t in SELF_TEST_GOOD_BASH if bash.get(t)]
    for p in problems:
        print("SELF-TEST FAIL", p)
    return not problems


def main():
    doctor, root = [a for a in sys.argv[1:] if a != "--lenient"][:2]
    if not self_test():
        print("shells: 0 passed, 1 failed")
        sys.exit(1)
    items = gather(doctor, root)
    bash_texts = sorted({t for _, d, t in items if d == "bash"})
    ps_texts = sorted({t for _, d, t in items if d == "powershell"})
    origins = {}
    for origin, dialect, text in items:
        origins.setdefault((dialect, text), origin)
    bash = check_bash(bash_texts)
    failed = 0
    for text in bash_texts:
        for p in bash.get(text, []):
            failed += 1
            print(f"FAIL bash [{origins[('bash', text)]}] {p}\n    {text[:300]}")
    for text in ps_texts:
        for p in ps_problems(text):
            failed += 1
            print(f"FAIL powershell [{origins[('powershell', text)]}] {p}\n    {text[:300]}")
    bad = {t for t in bash_texts if bash.get(t)} | {t for t in ps_texts if ps_problems(t)}
    passed = len(bash_texts) + len(ps_texts) - len(bad)
    print(f"{len(bash_texts)} distinct bash texts, {len(ps_texts)} distinct PowerShell texts "
          f"({len(items)} renderings checked)")
    print(f"shells: {passed} passed, {len(bad)} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
