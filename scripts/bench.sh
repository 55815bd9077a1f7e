#!/usr/bin/env bash
# Benchmark `git postmortem check` against `git log` on a synthetic repository
# (SPEC 7): cold check ≤ 1.0 × `git log --format=%H%x00%B main`, warm status
# under 0.1 s. Not part of `cargo test`.
#
# Usage: scripts/bench.sh [REPO_DIR]
#   COMMITS=200000 POSTMORTEMS=1000   size of the generated repository
#   RUNS=5                            runs per measurement (the median is shown)
#   SAMPLE=50                         safeguards in the `git log --grep` loop
#   RECENT=1                          also measure a repository of the same
#                                     size whose incidents all fall in its
#                                     newest 10% of commits (0 to skip)
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
t_warm_status=$(median "$bin" status)
PREP=true
t_grep=$(RUNS=1 WARMUP=0 median grep_loop)
t_grep_all=$(echo "$t_grep * $total_refs / $sampled" | bc -l)

# Incremental scans: the cache is warm at main's tip, then main moves to
# (e) one new commit, or (f) the merge of a 5-commit branch forked from a
# commit 90% of the way back. main and the cache are put back afterwards.
pm_dir="$(git rev-parse --git-common-dir)/postmortem"
base=$(git rev-parse main)
tree=$(git rev-parse "main^{tree}")
first_parent=$(git rev-list --first-parent --count main)
back=$((first_parent * 9 / 10))
fork=$(git rev-list --first-parent main | sed -n "${back}p")
side=$fork
for n in 1 2 3 4 5; do side=$(git commit-tree -p "$side" -m "Side work $n" "$tree"); done
merge=$(git commit-tree -p "$base" -p "$side" -m "Merge branch 'side'" "$tree")
one=$(git commit-tree -p "$base" -m "One more commit" "$tree")
saved="$(mktemp -d)"
trap 'rm -f "$refs_file"; git -C "$repo" update-ref refs/heads/main "$base"; rm -rf "$saved"' EXIT
"$bin" check >/dev/null 2>&1 || true
cp -a "$pm_dir/." "$saved/"
PREP="git update-ref refs/heads/main '$base'; rm -rf '$pm_dir'; cp -a '$saved' '$pm_dir'; git update-ref refs/heads/main '$one'"
t_one=$(median "$bin" check)
PREP="git update-ref refs/heads/main '$base'; rm -rf '$pm_dir'; cp -a '$saved' '$pm_dir'; git update-ref refs/heads/main '$merge'"
t_merge=$(median "$bin" check)
git update-ref refs/heads/main "$base"
rm -rf "$pm_dir"; cp -a "$saved" "$pm_dir"
PREP=true

ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
cat <<EOF
repository: $repo
commits on main: $commits; safeguards: $total_refs; machine: $(nproc) cores
(a) git log --format=%H%x00%B main        ${t_log}s
(b) git postmortem check, cold cache      ${t_cold}s   $(ratio "$t_cold" "$t_log")× git log   (contract: ≤ 1.0×)
(c) git postmortem check, warm cache      ${t_warm}s   $(ratio "$t_warm" "$t_log")× git log   (contract: well under 1 s)
    git postmortem status, warm cache     ${t_warm_status}s   (contract: < 0.1 s)
(d) git log --grep per safeguard          ${t_grep}s for $sampled safeguards, ≈ $(printf '%.1f' "$t_grep_all")s for all $total_refs
    cold check is $(ratio "$t_grep_all" "$t_cold")× faster than a grep per safeguard
(e) check after one new commit            ${t_one}s   (incremental)
(f) check after merging a 5-commit branch forked $back first-parent commits back
                                          ${t_merge}s   (incremental; cold is ${t_cold}s)
EOF

[ "${RECENT:-1}" = 1 ] || exit 0
# A repository of the same size whose incidents all occurred during its
# newest 10% of commits, with some merged branches' commits dated two days
# before the commit they were forked from: cold `status` against the full
# `git log`, and its answers against a scan of the whole history (forced by
# an extra postmortem dated before the first commit).
recent="${repo}-recent"
if [ ! -d "$recent" ]; then
  echo "generating $recent (incidents in the newest 10%)…" >&2
  python3 "$here/scripts/gen-bench-repo.py" "$recent" --commits "$COMMITS" \
    --postmortems "$POSTMORTEMS" --incidents-from 0.9 --skew-days 2
fi
cd "$recent"
rcache="$(git rev-parse --git-common-dir)/postmortem/ship-cache.json"
PREP=true
r_log=$(median git log --format=%H%x00%B main)
PREP="rm -f '$rcache'"
r_cold=$(median "$bin" status --json)
PREP=true
answers() { "$bin" status --json | python3 -c '
import json, sys
doc = json.load(sys.stdin)
rows = [s for s in doc["safeguards"] if s["postmortem"] != "1990-01-01-before-everything"]
print(json.dumps(rows, sort_keys=True))'; }
rm -f "$rcache"; pruned=$(answers)
old_pm=postmortems/1990-01-01-before-everything.toml
printf 'schema = 1\ntitle = "Before everything"\nstatus = "draft"\nseverity = "sev4"\noccurred_at = 1990-01-01T00:00:00Z\n' >"$old_pm"
rm -f "$rcache"; full=$(answers)
rm -f "$old_pm" "$rcache"
shipped=$(printf '%s' "$pruned" | python3 -c 'import json,sys; print(sum(s["state"]=="shipped" for s in json.load(sys.stdin)))')
same=$([ "$pruned" = "$full" ] && echo "identical" || echo "DIFFERENT")
cat <<EOF
recent-incident repository: $recent
(g) git log --format=%H%x00%B main        ${r_log}s
(h) git postmortem status --json, cold    ${r_cold}s   $(ratio "$r_cold" "$r_log")× git log   (contract: ≤ 0.25×)
    answers vs a scan of the whole history: $same ($shipped shipped)
EOF
