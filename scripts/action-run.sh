#!/usr/bin/env bash
# Run git postmortem COMMAND for the GitHub Action (action.yml) and set the
# action's outputs.
#
# check runs twice: first `check --format json`, whose findings give the
# outputs, then `check --format github`, whose annotations, step summary and
# exit status are the step's. The ship cache makes the second run a cache
# hit (no commit is read again).
#
# Environment:
#   COMMAND   check (default), remind, digest or another subcommand
#   ARGS      extra arguments, split on whitespace
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP  as set by GitHub Actions
# Outputs (GITHUB_OUTPUT):
#   errors    check: lint errors (findings of level error, overdue safeguards
#             not counted)
#   overdue   check: safeguards that fail the check (overdue, or closed
#             without a shipping commit past their deadline)
#   summary   the path of the Markdown this step wrote (check's summary
#             table, the digest), also appended to GITHUB_STEP_SUMMARY;
#             empty when it wrote none
#   site      site: the absolute path of the directory it wrote (--out, or
#             postmortem-site/ at the top of the work tree), for
#             actions/upload-pages-artifact
set -euo pipefail

command="${COMMAND:-check}"
case "$command" in
  "" | *[!a-z-]*)
    echo "::error::command must be a git postmortem subcommand such as check, remind or digest, not '$command'"
    exit 2
    ;;
esac
args=()
read -r -a args <<<"${ARGS:-}"

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1=$2" >>"$GITHUB_OUTPUT"
  fi
}

# Print "ERRORS OVERDUE" from check's JSON document.
count_findings() {
  if command -v jq >/dev/null 2>&1; then
    jq -r '[(.findings | map(select(.level == "error" and .lint != "overdue")) | length),
            (.findings | map(select(.lint == "overdue")) | length)] | @tsv' "$1"
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'EOF'
import json, sys
findings = json.load(open(sys.argv[1], encoding="utf-8"))["findings"]
errors = sum(1 for f in findings if f["level"] == "error" and f["lint"] != "overdue")
overdue = sum(1 for f in findings if f["lint"] == "overdue")
print(f"{errors}\t{overdue}")
EOF
  else
    return 1
  fi
}

dir="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/git-postmortem.XXXXXX")"
summary="$dir/$command.md"
: >"$summary"

status=0
if [ "$command" = check ]; then
  git postmortem check --format json ${args[@]+"${args[@]}"} >"$dir/check.json" || true
  GITHUB_STEP_SUMMARY="$summary" git postmortem check --format github ${args[@]+"${args[@]}"} || status=$?
  if counts="$(count_findings "$dir/check.json" 2>/dev/null)"; then
    output errors "${counts%%$'\t'*}"
    output overdue "${counts##*$'\t'}"
  else
    echo "::warning::could not read check's JSON (no jq or python3, or check failed early): outputs errors and overdue are not set"
  fi
else
  GITHUB_STEP_SUMMARY="$summary" git postmortem "$command" ${args[@]+"${args[@]}"} || status=$?
fi

if [ "$command" = site ]; then
  site_dir=""
  previous=""
  for arg in ${args[@]+"${args[@]}"}; do
    case "$arg" in
      --out=*) site_dir="${arg#--out=}" ;;
    esac
    if [ "$previous" = --out ]; then site_dir="$arg"; fi
    previous="$arg"
  done
  if [ -z "$site_dir" ]; then
    site_dir="$(git rev-parse --show-toplevel)/postmortem-site"
  fi
  if [ -d "$site_dir" ]; then
    output site "$(cd "$site_dir" && pwd)"
  else
    output site ""
  fi
fi

if [ -s "$summary" ]; then
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  fi
  output summary "$summary"
else
  output summary ""
fi
exit "$status"
