#!/usr/bin/env bash
# Fail unless the release tag is `v` followed by the package version in
# Cargo.toml. The release workflow runs it first, so a tag pushed before the
# version bump (or a typo in either) publishes nothing.
#
# Usage: scripts/check-tag-version.sh [TAG [MANIFEST]]
#   TAG defaults to $GITHUB_REF_NAME, MANIFEST to Cargo.toml next to scripts/.
# Prints the version; with GITHUB_OUTPUT set, also writes `version=X.Y.Z`.
set -euo pipefail

tag="${1:-${GITHUB_REF_NAME:-}}"
manifest="${2:-$(cd "$(dirname "$0")/.." && pwd)/Cargo.toml}"

[ -n "$tag" ] || {
  echo "::error::no tag given (argument or GITHUB_REF_NAME)"
  exit 1
}
[ -f "$manifest" ] || {
  echo "::error::$manifest does not exist"
  exit 1
}

# The first `version = "…"` of the [package] table.
version="$(sed -n '/^\[package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1)"
[ -n "$version" ] || {
  echo "::error file=$manifest::no version in the [package] table of $manifest"
  exit 1
}

if [ "$tag" != "v$version" ]; then
  echo "::error file=$manifest::tag $tag does not match version $version in $manifest: push the tag v$version, or bump the version first (RELEASING.md)"
  exit 1
fi

echo "$version"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "version=$version" >>"$GITHUB_OUTPUT"
fi
