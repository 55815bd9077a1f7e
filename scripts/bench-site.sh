#!/usr/bin/env bash
# Time `git postmortem site` on a synthetic repository: POSTMORTEMS
# postmortems (5 safeguards each, with triggers, factors and shipping
# commits) in COMMITS commits, built by scripts/gen-bench-repo.py. Reports
# the warm build (history served from the ship cache, as on every run after
# the first) and the cold one (no cache). Not part of `cargo test`; much
# smaller than scripts/bench.sh, which it does not replace.
#
# Usage: scripts/bench-site.sh [REPO_DIR]
#   POSTMORTEMS=1000 COMMITS=20000   size of the generated repository
#   RUNS=5                           timed runs (hyperfine if installed)
#   BIN=path/to/git-postmortem       default: a release build of this tree
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
POSTMORTEMS="${POSTMORTEMS:-1000}"
COMMITS="${COMMITS:-20000}"
RUNS="${RUNS:-5}"
repo="${1:-${TMPDIR:-/tmp}/postmortem-site-bench-$POSTMORTEMS-$COMMITS}"

if [ -z "${BIN:-}" ]; then
  echo "building the release binary…" >&2
  cargo build --release --quiet --manifest-path "$here/Cargo.toml"
  BIN="${CARGO_TARGET_DIR:-$here/target}/release/git-postmortem"
fi

if [ ! -d "$repo" ]; then
  echo "generating $repo ($COMMITS commits, $POSTMORTEMS postmortems)…" >&2
  python3 "$here/scripts/gen-bench-repo.py" "$repo" --commits "$COMMITS" --postmortems "$POSTMORTEMS"
fi
cd "$repo"
cache="$(git rev-parse --git-common-dir)/postmortem/ship-cache.json"
out="$(mktemp -d)/site"
trap 'rm -rf "$(dirname "$out")"' EXIT
export GIT_POSTMORTEM_NOW=2026-11-26T12:00:00Z NO_COLOR=1
site=("$BIN" site --out "$out")

"${site[@]}" >&2 # fills the ship cache and the OS page cache
echo "$(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1) in $out" >&2

if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --runs "$RUNS" --warmup 1 -n "site, warm cache" "${site[*]}"
  hyperfine --runs "$RUNS" --prepare "rm -f '$cache'" -n "site, cold (no ship cache)" "${site[*]}"
  exit 0
fi

# Median wall time of RUNS runs, in seconds; PREP runs before each.
median() {
  local times=() start end
  for _ in $(seq "$RUNS"); do
    eval "${PREP:-true}"
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {printf "%.3f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}
echo "site, warm cache:           $(median "${site[@]}") s (median of $RUNS)"
echo "site, cold (no ship cache): $(PREP="rm -f '$cache'" median "${site[@]}") s (median of $RUNS)"
