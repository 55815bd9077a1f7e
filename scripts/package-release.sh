#!/usr/bin/env bash
# Build the release archive for one target, as the release workflow
# (.github/workflows/release.yml) publishes it, and its SHA-256 checksum.
#
# Usage: scripts/package-release.sh TARGET BINARY [OUT_DIR]
#   TARGET   the target triple, e.g. x86_64-unknown-linux-musl
#   BINARY   the built git-postmortem (it must run here: it writes its own
#            man pages and shell completions)
#   OUT_DIR  default dist/
#
# Writes OUT_DIR/git-postmortem-VERSION-TARGET.tar.gz (.zip on Windows) and
# OUT_DIR/git-postmortem-VERSION-TARGET.tar.gz.sha256 ("HASH  NAME", as
# sha256sum prints it), and prints the archive's path. The archive holds one
# directory, git-postmortem-VERSION-TARGET/, with:
#   git-postmortem[.exe]    the binary
#   man/man1/*.1            git-postmortem.1 and one page per subcommand
#   complete/               bash, zsh, fish, elvish and PowerShell completions
#   README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE
set -euo pipefail

target="${1:?usage: scripts/package-release.sh TARGET BINARY [OUT_DIR]}"
binary="${2:?usage: scripts/package-release.sh TARGET BINARY [OUT_DIR]}"
out="${3:-dist}"
root="$(cd "$(dirname "$0")/.." && pwd)"

[ -x "$binary" ] || {
  echo "::error::$binary is not an executable" >&2
  exit 1
}
version="$("$binary" --version | awk '{ print $2 }')"
manifest_version="$(sed -n '/^\[package\]/,/^\[/ s/^version *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n 1)"
if [ "$version" != "$manifest_version" ]; then
  echo "::error::$binary is version $version, Cargo.toml says $manifest_version" >&2
  exit 1
fi

name="git-postmortem-$version-$target"
exe=""
case "$target" in *windows*) exe=.exe ;; esac

mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$out/$name"
rm -rf "$stage"
mkdir -p "$stage/man/man1" "$stage/complete"

cp "$binary" "$stage/git-postmortem$exe"
cp "$root/README.md" "$root/CHANGELOG.md" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/"
"$binary" generate-man --out "$stage/man/man1" >/dev/null
"$binary" completions bash >"$stage/complete/git-postmortem.bash"
"$binary" completions zsh >"$stage/complete/_git-postmortem"
"$binary" completions fish >"$stage/complete/git-postmortem.fish"
"$binary" completions elvish >"$stage/complete/git-postmortem.elv"
"$binary" completions powershell >"$stage/complete/_git-postmortem.ps1"

cd "$out"
case "$target" in
  *windows*)
    archive="$name.zip"
    rm -f "$archive"
    if command -v 7z >/dev/null 2>&1; then
      7z a -tzip -bd "$archive" "$name" >/dev/null
    else
      zip -qr "$archive" "$name"
    fi
    ;;
  *)
    archive="$name.tar.gz"
    tar -czf "$archive" "$name"
    ;;
esac
rm -rf "$stage"

if command -v sha256sum >/dev/null 2>&1; then
  sha256sum "$archive" >"$archive.sha256"
else
  shasum -a 256 "$archive" >"$archive.sha256"
fi
echo "$out/$archive"
