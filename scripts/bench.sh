#!/usr/bin/env bash
# Benchmark `git postmortem check` against `git log` on a synthetic repository
# (SPEC 7): cold check ≤ 1.5 × `git log --format=%H%x00%B main`, warm check
# well under a second. Not part of `cargo test`.
#
# Usage: scripts/bench.sh [REPO_DIR]
#   COMMITS=200000 POSTMORTEMS=1000   size of the generated repository
#   RUNS=5                            runs per measurement (the median is shown)
#   SAMPLE=50                         safeguards in the `git log --grep` loop
# The repository is generated (scripts/gen-bench-repo.py) when REPO_DIR does
# not exist yet; delete it to regenerate.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
COMMITS="${COMMITS:-200000}"
POSTMORTEMS="${POSTMORTEMS:-1000}"
RUNS="${RUNS:-5}"
SAMPLE="${SAMPLE:-50}"
repo="${1:-${TMPDIR:-/tmp}/postmortem-bench-$COMMITS}"

echo "building the release binary…" >&2
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$here/target}/release/git-postmortem"

if [ ! -d "$repo" ]; then
  echo "generating $repo ($COMMITS commits, $POSTMORTEMS postmortems)…" >&2
  python3 "$here/scripts/gen-bench-repo.py" "$repo" --commits "$COMMITS" --postmortems "$POSTMORTEMS"
fi
cd "$repo"
cache="$(git rev-parse --git-common-dir)/postmortem/ship-cache.json"
export GIT_POSTMORTEM_NOW=2026-11-26T12:00:00Z NO_COLOR=1

# Median wall time, in seconds, of RUNS runs of "$@" (after an untimed
# warm-up run that fills the OS page cache, unless WARMUP=0); PREP runs
# before each.
PREP=true
median() {
  local times=() start end
  if [ "${WARMUP:-1}" = 1 ]; then eval "$PREP"; "$@" >/dev/null 2>&1 || true; fi
  for _ in $(seq "$RUNS"); do
    eval "$PREP"
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.3f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

grep_loop() {
  local ref
  while read -r ref; do
    git log --format=%H -i --grep="^Postmortem-Safeguard: $ref\$" main >/dev/null
  done <"$refs_file"
}

refs_file="$(mktemp)"
trap 'rm -f "$refs_file"' EXIT
"$bin" status --json | python3 -c '
import json, sys
refs = [s["ref"] for s in json.load(sys.stdin)["safeguards"]]
step = max(1, len(refs) // int(sys.argv[1]))
print("\n".join(refs[::step][: int(sys.argv[1])]))
print(len(refs), file=sys.stderr)' "$SAMPLE" >"$refs_file" 2>"$refs_file.count"
total_refs=$(cat "$refs_file.count"); rm -f "$refs_file.count"
sampled=$(wc -l <"$refs_file")
commits=$(git rev-list --count main)

echo "measuring ($RUNS runs each, median)…" >&2
PREP=true
t_log=$(median git log --format=%H%x00%B main)
PREP="rm -f '$cache'"
t_cold=$(median "$bin" check)
PREP=true
"$bin" check >/dev/null 2>&1 || true
t_warm=$(median "$bin" check)
PREP=true
t_grep=$(RUNS=1 WARMUP=0 median grep_loop)
t_grep_all=$(echo "$t_grep * $total_refs / $sampled" | bc -l)

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
cat <<EOF
repository: $repo
commits on main: $commits; safeguards: $total_refs; machine: $(nproc) cores
(a) git log --format=%H%x00%B main        ${t_log}s
(b) git postmortem check, cold cache      ${t_cold}s   $(ratio "$t_cold" "$t_log")× git log   (contract: ≤ 1.5×)
(c) git postmortem check, warm cache      ${t_warm}s   $(ratio "$t_warm" "$t_log")× git log   (contract: well under 1 s)
(d) git log --grep per safeguard          ${t_grep}s for $sampled safeguards, ≈ $(printf '%.1f' "$t_grep_all")s for all $total_refs
    cold check is $(ratio "$t_grep_all" "$t_cold")× faster than a grep per safeguard
EOF
