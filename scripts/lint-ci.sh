#!/usr/bin/env bash
# Lint the CI and release machinery: every workflow (and the example one
# users copy) with actionlint, which also runs shellcheck on their `run:`
# steps; action.yml with scripts/lint-action.py (actionlint reads workflows
# only); and every shell script with shellcheck. .ci/run installs the tools.
set -euo pipefail
cd "$(dirname "$0")/.."

actionlint -oneline .github/workflows/*.yml .github/examples/*.yml
python3 scripts/lint-action.py action.yml
shellcheck scripts/*.sh demo.sh .ci/run
echo "workflows, action.yml and shell scripts: ok"
