#!/usr/bin/env bash
# Print the Homebrew formula for a release: packaging/homebrew/git-postmortem.rb
# with @VERSION@ and each target's @SHA256_…@ filled in from the release's
# checksum files. Fails when one is missing, so a formula never points at an
# archive that was not published.
#
# Usage: scripts/homebrew-formula.sh VERSION SUMS_DIR > git-postmortem.rb
#   SUMS_DIR holds git-postmortem-VERSION-TARGET.tar.gz.sha256 for the four
#   macOS and Linux targets (gh release download vVERSION --pattern '*.sha256').
set -euo pipefail

version="${1:?usage: scripts/homebrew-formula.sh VERSION SUMS_DIR}"
sums="${2:?usage: scripts/homebrew-formula.sh VERSION SUMS_DIR}"
template="$(cd "$(dirname "$0")/.." && pwd)/packaging/homebrew/git-postmortem.rb"

args=(-e "s/@VERSION@/$version/g")
for target in aarch64-apple-darwin x86_64-apple-darwin aarch64-unknown-linux-musl x86_64-unknown-linux-musl; do
  file="$sums/git-postmortem-$version-$target.tar.gz.sha256"
  [ -f "$file" ] || {
    echo "::error::$file is missing: was the $target archive published?" >&2
    exit 1
  }
  sum="$(awk 'NR == 1 { print tolower($1) }' "$file")"
  [[ "$sum" =~ ^[0-9a-f]{64}$ ]] || {
    echo "::error::$file holds no SHA-256 checksum" >&2
    exit 1
  }
  placeholder="SHA256_$(echo "$target" | tr 'a-z-' 'A-Z_')"
  args+=(-e "s/@$placeholder@/$sum/g")
done

formula="$(sed "${args[@]}" "$template")"
if grep -q '@[A-Z0-9_]*@' <<<"$formula"; then
  echo "::error::placeholders left in the formula: $(grep -o '@[A-Z0-9_]*@' <<<"$formula" | sort -u | tr '\n' ' ')" >&2
  exit 1
fi
printf '%s\n' "$formula"
