#!/usr/bin/env python3
"""Reads `go test -json` on stdin and prints what `go test` would: package
result lines, plus the full output of every failing test. Writes the counts
of passed, failed and skipped tests to the file named by argv[1] as
"PASSED FAILED SKIPPED" so scripts/test.sh can total them."""
import json
import sys

counts = {"pass": 0, "fail": 0, "skip": 0}
buffered = {}

for line in sys.stdin:
    try:
        event = json.loads(line)
    except ValueError:
        sys.stdout.write(line)
        continue
    action, test = event.get("Action"), event.get("Test")
    key = (event.get("Package"), test)
    if action in ("output", "build-output"):
        if test:
            buffered.setdefault(key, []).append(event.get("Output", ""))
        else:
            out = event.get("Output", "")
            # A bare PASS/FAIL line only repeats the "ok"/"FAIL <package>" line after it.
            if out.strip() not in ("PASS", "FAIL") or action == "build-output":
                sys.stdout.write(out)
    elif test and action in counts:
        counts[action] += 1
        lines = buffered.pop(key, [])
        if action == "fail":
            sys.stdout.write("".join(lines))
    sys.stdout.flush()

with open(sys.argv[1], "w") as f:
    f.write(f"{counts['pass']} {counts['fail']} {counts['skip']}\n")
