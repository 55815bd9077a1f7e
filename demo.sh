#!/usr/bin/env bash
# Build and install git-postmortem and its man pages, then record, lint, render
# and ship a postmortem in a throwaway repository. Usage: ./demo.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

cargo install --locked --quiet --path "$here"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$cargo_home/bin:$PATH"
# Next to the binary's bin/, where man finds pages for what is on PATH, so
# `git postmortem --help` (git runs `man git-postmortem`) opens the manual.
git-postmortem generate-man --out "$cargo_home/share/man/man1" >/dev/null

demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT
cd "$demo"
git init --quiet --initial-branch=main shop
cd shop
git config user.name "Dana" && git config user.email "dana@example.com"
echo 'pool_size = env("DB_POOL")' > config.py && git add . && git commit --quiet -m "Read pool size from DB_POOL"
git tag v1.4.1
echo 'pool_size = env("DB_POOL_MAX")' > config.py && git commit --quiet -am "Move pool size to DB_POOL_MAX"
git tag v1.4.2

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step git postmortem init
step git postmortem new "Checkout returned HTTP 500 for 42 minutes" \
  --commit v1.4.2 --range v1.4.1..v1.4.2 --severity sev2 \
  --occurred-at 2026-11-24T14:02:00Z --no-edit
file=$(ls postmortems/*.toml)

# What an engineer fills in by hand, shown here with sed.
sed -i.bak \
  -e 's/^description = "" .*/description = "Customers could not pay; about 1,900 orders failed."/' \
  -e 's/^statement = ""/statement = "We shipped a config change without a staging soak; it broke checkout for every customer for 42 minutes."/' \
  "$file" && rm -f "$file.bak"

# What the person typing during the incident records as it happens.
step git postmortem timeline add 2026-11-24 "Rolled back v1.4.2; checkout recovers" \
  --at 2026-11-24T14:44:00Z
step git postmortem safeguard add 2026-11-24 --title "Fail deploy when a required env var is missing" \
  --owner dana --due 2026-12-15 --kind automation
step git postmortem list
step git postmortem lint
step git postmortem show 2026-11-24

# Ship the safeguard: a commit on the default branch with the trailer.
git add -A && git commit --quiet -m "Add the postmortem for the checkout outage"
echo 'require_env("DB_POOL_MAX")' >> config.py
git commit --quiet -am "Fail deploy when DB_POOL_MAX is missing" \
  -m "Postmortem-Safeguard: 2026-11-24-checkout-returned-http-500-for-42-minutes/S1"
step git postmortem status
step git postmortem check
step git postmortem site
