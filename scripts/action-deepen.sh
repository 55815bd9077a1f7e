#!/usr/bin/env bash
# Make the checkout deep enough for git-postmortem (GitHub Action, action.yml).
#
# A safeguard is shipped when a commit on the default branch says so, however
# old, so `check` needs the whole history; actions/checkout fetches one commit
# unless told `fetch-depth: 0`. A shallow checkout is deepened here with a
# notice instead of failing. On pull requests (GITHUB_BASE_REF set), the base
# branch is fetched too when it is missing, for `review`'s merge base.
#
# Environment: GITHUB_BASE_REF (optional), REMOTE (default origin).
set -euo pipefail

remote="${REMOTE:-origin}"

if [ "$(git rev-parse --is-shallow-repository)" = true ]; then
  echo "::notice title=git-postmortem::shallow checkout: fetching the whole history (git fetch --unshallow), since a safeguard may have shipped in any commit; check out with 'fetch-depth: 0' to skip this step"
  git fetch --quiet --unshallow --tags "$remote"
fi

base="${GITHUB_BASE_REF:-}"
if [ -n "$base" ] && ! git rev-parse --quiet --verify "refs/remotes/$remote/$base^{commit}" >/dev/null; then
  echo "Fetching the base branch $base for the review"
  git fetch --quiet --no-tags "$remote" "+refs/heads/$base:refs/remotes/$remote/$base"
fi
