#!/usr/bin/env python3
"""Lint action.yml, which actionlint does not read (it lints workflows).

Checks the composite action's metadata (every step has a shell, every
`inputs.X` is declared, every output reads a step that exists), then wraps
its steps in a workflow, with the inputs declared as workflow_dispatch
inputs, and hands that to `actionlint -`, which checks the expressions and
runs shellcheck on every `run:` script. A `${{ … }}` inside a `run:` script
is refused: values reach scripts through `env:`, never by text substitution.

Usage: scripts/lint-action.py [action.yml]   (needs PyYAML and actionlint)
"""

import re
import subprocess
import sys

import yaml


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "action.yml"
    with open(path, encoding="utf-8") as f:
        action = yaml.safe_load(f)

    errors = []
    for key in ("name", "description", "runs"):
        if key not in action:
            errors.append(f"missing top-level `{key}`")
    runs = action.get("runs", {})
    if runs.get("using") != "composite":
        errors.append("runs.using must be `composite`")
    inputs = action.get("inputs") or {}
    steps = runs.get("steps") or []
    ids = {step.get("id") for step in steps if step.get("id")}

    for n, step in enumerate(steps, 1):
        label = step.get("name") or step.get("id") or f"step {n}"
        if "run" in step:
            if "shell" not in step:
                errors.append(f"{label}: a composite `run` step needs `shell`")
            if "${{" in step["run"]:
                errors.append(
                    f"{label}: `${{{{ … }}}}` inside `run`; pass the value through `env:`"
                )
        elif "uses" not in step:
            errors.append(f"{label}: neither `run` nor `uses`")

    text = open(path, encoding="utf-8").read()
    for name in sorted(set(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", text))):
        if name not in inputs:
            errors.append(f"`inputs.{name}` is used but not declared")
    for name, output in (action.get("outputs") or {}).items():
        value = str(output.get("value", ""))
        if not output.get("description"):
            errors.append(f"output `{name}` has no description")
        for step_id in re.findall(r"steps\.([A-Za-z0-9_-]+)\.", value):
            if step_id not in ids:
                errors.append(f"output `{name}` reads step `{step_id}`, which does not exist")
    for name, spec in inputs.items():
        if not (spec or {}).get("description"):
            errors.append(f"input `{name}` has no description")

    # The steps as a workflow job, so actionlint checks expressions and
    # shellcheck checks the scripts.
    workflow = {
        "name": "action.yml",
        "on": {
            "workflow_dispatch": {
                "inputs": {
                    name: {"description": "x", "type": "string", "required": False}
                    for name in inputs
                }
            }
        },
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}},
    }
    generated = yaml.safe_dump(workflow, sort_keys=False)
    result = subprocess.run(
        ["actionlint", "-oneline", "-stdin-filename", f"{path} (as a workflow)", "-"],
        input=generated,
        text=True,
        capture_output=True,
    )
    findings = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        errors.append("actionlint:\n" + findings)

    for error in errors:
        print(f"{path}: {error}", file=sys.stderr)
    if errors:
        if result.returncode != 0:
            print("--- the workflow actionlint read:", file=sys.stderr)
            print(generated, file=sys.stderr)
        return 1
    print(f"{path}: ok ({len(steps)} steps, {len(inputs)} inputs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
