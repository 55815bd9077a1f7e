#!/usr/bin/env bash
# Install git-postmortem for the GitHub Action (action.yml).
#
# A release version (the `version` input, or the action pinned to a tag
# vX.Y.Z) downloads that release's archive for the runner's OS and
# architecture, checks it against the published SHA-256 checksum and unpacks
# the binary into INSTALL_DIR. Anything else (a branch, a commit SHA, a local
# `uses: ./`) builds from source with `cargo install --locked`. A download
# that fails, a missing checksum or a checksum that does not match is an
# error: an unverified binary is never installed, let alone run.
#
# Environment (all optional):
#   INPUT_VERSION      release to install, `1.2.3` or `v1.2.3`
#   INPUT_INSTALL      auto (default) | release | path | git
#   ACTION_REPOSITORY  owner/name of the action (github.action_repository)
#   ACTION_REF         the ref the action is pinned to (github.action_ref)
#   GITHUB_ACTION_PATH the action's checkout, built from for `path`
#   RUNNER_OS          Linux | macOS | Windows (else from uname)
#   RUNNER_ARCH        X64 | ARM64 (else from uname)
#   GIT_POSTMORTEM_RELEASES_URL
#                      base of the release downloads, default
#                      $GITHUB_SERVER_URL/$ACTION_REPOSITORY/releases/download
#   INSTALL_DIR        where the downloaded binary goes, default
#                      $RUNNER_TEMP/git-postmortem/bin
#   GITHUB_PATH, GITHUB_OUTPUT  as set by GitHub Actions
# Outputs (GITHUB_OUTPUT): version, method (release | source).
set -euo pipefail

name=git-postmortem

fail() {
  echo "::error title=git-postmortem install::$*"
  exit 1
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1=$2" >>"$GITHUB_OUTPUT"
  fi
}

add_path() {
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$1" >>"$GITHUB_PATH"
  fi
}

semver='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'

# The release archive's target triple for this runner; empty when there is none.
release_target() {
  local os="${RUNNER_OS:-}" arch="${RUNNER_ARCH:-}"
  if [ -z "$os" ]; then
    case "$(uname -s)" in
      Linux) os=Linux ;;
      Darwin) os=macOS ;;
      MINGW* | MSYS* | CYGWIN*) os=Windows ;;
    esac
  fi
  if [ -z "$arch" ]; then
    case "$(uname -m)" in
      x86_64 | amd64) arch=X64 ;;
      aarch64 | arm64) arch=ARM64 ;;
    esac
  fi
  case "$os/$arch" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | awk '{ print $1 }'
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | awk '{ print $1 }'
  else
    fail "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

download() {
  local url="$1" file="$2"
  if ! curl --fail --silent --show-error --location --retry 3 \
    --connect-timeout 30 --max-time 600 --output "$file" "$url"; then
    fail "could not download $url; is v$version released for $target? Pin a released tag, set 'version', or use 'install: path' to build from source"
  fi
}

install_release() {
  local ext=tar.gz exe=""
  case "$target" in *windows*) ext=zip exe=.exe ;; esac
  local base="${GIT_POSTMORTEM_RELEASES_URL:-}"
  if [ -z "$base" ]; then
    [ -n "${ACTION_REPOSITORY:-}" ] || fail "no repository to download v$version from (github.action_repository is empty)"
    base="${GITHUB_SERVER_URL:-https://github.com}/$ACTION_REPOSITORY/releases/download"
  fi
  local asset="$name-$version-$target.$ext"
  local url="$base/v$version/$asset"
  local work
  work="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/git-postmortem-install.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: $work is local
  trap "rm -rf '$work'" EXIT

  echo "Downloading $url"
  local started=$SECONDS
  download "$url.sha256" "$work/$asset.sha256"
  download "$url" "$work/$asset"

  local expected actual named
  expected="$(awk 'NR == 1 { print tolower($1) }' "$work/$asset.sha256")"
  named="$(awk 'NR == 1 { sub(/^\*/, "", $2); print $2 }' "$work/$asset.sha256")"
  if ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
    fail "$asset.sha256 holds no SHA-256 checksum; refusing to install $asset"
  fi
  if [ -n "$named" ] && [ "$named" != "$asset" ]; then
    fail "$asset.sha256 is the checksum of $named, not of $asset; refusing to install it"
  fi
  actual="$(sha256_of "$work/$asset")"
  if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $asset: the release publishes $expected, the download is $actual; refusing to install it"
  fi
  echo "Verified SHA-256 $actual"

  mkdir "$work/unpacked"
  case "$ext" in
    zip)
      if command -v unzip >/dev/null 2>&1; then
        unzip -q "$work/$asset" -d "$work/unpacked"
      else
        tar -xf "$work/$asset" -C "$work/unpacked"
      fi
      ;;
    *) tar -xzf "$work/$asset" -C "$work/unpacked" ;;
  esac
  local binary="$work/unpacked/$name-$version-$target/$name$exe"
  [ -f "$binary" ] || fail "$asset has no $name-$version-$target/$name$exe"

  local dir="${INSTALL_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/git-postmortem/bin}"
  mkdir -p "$dir"
  cp "$binary" "$dir/.$name$exe.partial"
  chmod +x "$dir/.$name$exe.partial"
  mv -f "$dir/.$name$exe.partial" "$dir/$name$exe"
  add_path "$dir"
  echo "Installed $("$dir/$name$exe" --version) to $dir in $((SECONDS - started)) s"
  output version "$version"
  output method release
}

install_source() {
  command -v cargo >/dev/null 2>&1 ||
    fail "cargo is not installed, so git-postmortem cannot be built from source; pin the action to a release tag (uses: …@vX.Y.Z) or set 'version'"
  if [ "$install" = git ]; then
    [ -n "${ACTION_REPOSITORY:-}" ] || fail "install: git needs github.action_repository"
    local rev=()
    if [ -n "${ACTION_REF:-}" ]; then rev=(--rev "$ACTION_REF"); fi
    cargo install --locked --git "${GITHUB_SERVER_URL:-https://github.com}/$ACTION_REPOSITORY" ${rev[@]+"${rev[@]}"} "$name"
  else
    cargo install --locked --path "${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
  fi
  add_path "${CARGO_HOME:-$HOME/.cargo}/bin"
  output version "$(sed -n 's/^version *= *"\(.*\)"/\1/p' "${GITHUB_ACTION_PATH:-.}/Cargo.toml" | head -n 1)"
  output method source
}

install="${INPUT_INSTALL:-auto}"
case "$install" in
  auto | release | path | git) ;;
  *) fail "install must be auto, release, path or git, not '$install'" ;;
esac

version=""
if [ -n "${INPUT_VERSION:-}" ]; then
  version="${INPUT_VERSION#v}"
  [[ "$version" =~ $semver ]] || fail "version must be a release such as 1.2.3 or v1.2.3, not '$INPUT_VERSION'"
  case "$install" in
    path | git) fail "'version: $INPUT_VERSION' installs a release binary; it cannot go with 'install: $install'" ;;
  esac
elif [[ "${ACTION_REF:-}" =~ ^v[0-9] ]] && [[ "${ACTION_REF#v}" =~ $semver ]]; then
  version="${ACTION_REF#v}"
fi

target="$(release_target)"
if [ "$install" = auto ]; then
  if [ -n "$version" ] && [ -n "$target" ]; then
    install=release
  else
    install=path
    if [ -z "$version" ]; then
      echo "::notice title=git-postmortem install::building from source with cargo install (minutes): the action is pinned to '${ACTION_REF:-a local path}', not a release tag vX.Y.Z; pin a release tag or set 'version' to download a release binary instead"
    else
      echo "::notice title=git-postmortem install::no release binary for ${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}; building from source with cargo install"
    fi
  fi
fi

case "$install" in
  release)
    [ -n "$version" ] || fail "install: release needs 'version' or the action pinned to a release tag vX.Y.Z, not '${ACTION_REF:-}'"
    [ -n "$target" ] || fail "no release binary for ${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}; use 'install: path' to build from source"
    install_release
    ;;
  *) install_source ;;
esac
