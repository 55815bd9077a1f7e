#!/usr/bin/env python3
"""Build a synthetic repository for benchmarking `git postmortem check`.

The history is written with `git fast-import`: a main line with side
branches merged back ("Merge pull request #N ..."), 1,000 postmortems with
5 safeguards each committed along the way, and the commits that ship them:
`Postmortem-Safeguard` trailers (on main and on merged side branches),
`Fixes #N` closing references, trailer-looking lines that are not trailers,
repeated trailers (the oldest must win), and trailers only on branches that
were never merged. Deterministic for a given seed.

Usage:
  scripts/gen-bench-repo.py DIR [--commits 200000] [--postmortems 1000]
                                [--safeguards 5] [--seed 1]
"""

import argparse
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

WORDS = (
    "add fix remove update refactor rename move split merge extract inline "
    "cache config pool retry timeout queue worker index route handler parser "
    "schema migration test alert metric log trace deploy build release docs "
    "checkout payment cart search login session token limit buffer client "
    "server proxy shard replica backup cron job flag feature toggle"
).split()

START = datetime(2019, 1, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 20, tzinfo=timezone.utc)
FACTORS = ["scared", "greedy", "ill-informed", "competitive", "burned-out",
           "time-pressure", "tooling", "process", "communication", "monitoring"]
KINDS = ["test", "alert", "automation", "policy", "access", "pairing", "docs"]


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def postmortem_text(rng, k, occurred, issue_base):
    day = occurred.strftime("%Y-%m-%d")
    when = occurred.strftime("%Y-%m-%dT%H:%M:%SZ")
    later = (occurred + timedelta(minutes=40)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [
        "schema = 1",
        f'title = "Incident {k}: {sentence(rng, 4)}"',
        'status = "final"',
        f'severity = "sev{rng.randint(1, 4)}"',
        f"occurred_at = {when}",
        f"detected_at = {when}",
        f"resolved_at = {later}",
        'authors = ["dana"]',
        'reviewers = ["sre-lead"]',
        'approved_by = ["sre-lead"]',
        f'summary = "The {sentence(rng, 3)} path failed under load for forty minutes."',
        "",
        "[impact]",
        f'description = "Customers saw errors on {rng.choice(WORDS)}; about {rng.randint(10, 5000)} requests failed."',
        "",
        "[trigger]",
        f'note = "A change to {sentence(rng, 2)} shipped without a canary."',
        "",
        "[[timeline]]",
        f"at = {when}",
        'event = "Deploy starts"',
        "",
    ]
    for kind in rng.sample(FACTORS, rng.randint(1, 2)):
        lines += ["[[factors]]", f'kind = "{kind}"', f'note = "{sentence(rng, 6)}"', ""]
    lines += [
        "[accountability]",
        'statement = "We shipped the change without a canary; it broke requests for customers for forty minutes."',
        "",
    ]
    for j in range(1, SAFEGUARDS + 1):
        due = occurred + timedelta(days=rng.randint(7, 120))
        lines += [
            "[[safeguards]]",
            f'id = "S{j}"',
            f'title = "{sentence(rng, 5)}"',
            f'kind = "{rng.choice(KINDS)}"',
            'owner = "dana"',
            f"due = {due.strftime('%Y-%m-%d')}",
        ]
        if j % 2 == 1:
            lines.append(f"issue = {issue_base + j}")
        lines.append("")
    return f"{day}-incident-{k}", "\n".join(lines)


class Stream:
    def __init__(self, out):
        self.out = out
        self.mark = 0

    def write(self, text):
        self.out.write(text.encode() if isinstance(text, str) else text)

    def data(self, payload):
        raw = payload.encode()
        self.write(f"data {len(raw)}\n")
        self.write(raw)
        self.write("\n")

    def commit(self, ref, when, message, parent=None, merge=None, files=()):
        self.mark += 1
        stamp = f"{int(when.timestamp())} +0000"
        self.write(f"commit {ref}\nmark :{self.mark}\n")
        self.write(f"author Dana Author <dana@example.com> {stamp}\n")
        self.write(f"committer Dana Author <dana@example.com> {stamp}\n")
        self.data(message)
        if parent is not None:
            self.write(f"from :{parent}\n")
        if merge is not None:
            self.write(f"merge :{merge}\n")
        for path, content in files:
            self.write(f"M 100644 inline {path}\n")
            self.data(content)
        self.write("\n")
        return self.mark


def message(rng, extra_trailers, extra_body):
    subject = sentence(rng, rng.randint(3, 8)).capitalize()
    parts = [subject]
    if rng.random() < 0.5:
        parts.append("\n".join(sentence(rng, rng.randint(6, 12)) for _ in range(rng.randint(1, 3))))
    if rng.random() < 0.08:
        parts.append(f"Refs #{rng.randint(1, 9000)}")
    parts.extend(extra_body)
    trailers = list(extra_trailers)
    if rng.random() < 0.2:
        trailers.append("Signed-off-by: Dana Author <dana@example.com>")
    if trailers:
        parts.append("\n".join(trailers))
    return "\n\n".join(parts) + "\n"


def main():
    global SAFEGUARDS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--commits", type=int, default=200_000)
    parser.add_argument("--postmortems", type=int, default=1000)
    parser.add_argument("--safeguards", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--incidents-from", type=float, default=0.05,
                        help="where in history (0-1) the first postmortem lands; "
                             "the rest spread from there to 90%% of it, or over the "
                             "newest 10%% when this is 0.9 or more")
    parser.add_argument("--skew-days", type=float, default=0.0,
                        help="date some merged branches' commits this many days "
                             "before the commit they were forked from (clock skew)")
    args = parser.parse_args()
    SAFEGUARDS = args.safeguards
    rng = random.Random(args.seed)

    if os.path.exists(args.dir):
        sys.exit(f"{args.dir} exists; remove it first")
    subprocess.run(["git", "init", "-q", "-b", "main", args.dir], check=True)
    proc = subprocess.Popen(
        ["git", "fast-import", "--quiet", "--done"], cwd=args.dir, stdin=subprocess.PIPE
    )
    s = Stream(proc.stdin)

    n = args.commits
    span = (END - START).total_seconds()
    # Where each postmortem lands in history, and what ships its safeguards.
    add_at = {}
    for k in range(args.postmortems):
        first = args.incidents_from
        spread = (0.9 - first) if first < 0.9 else (0.99 - first)
        add_at.setdefault(int(n * first + (n * spread) * k / max(1, args.postmortems)), []).append(k)
    trailers_at, bodies_at, unmerged = {}, {}, []
    planned = {"trailer": 0, "closing": 0, "unmerged": 0, "body-only": 0, "none": 0}

    def when_of(i):
        return START + timedelta(seconds=span * i / n)

    written = 0
    main_tip = None
    main_marks = []
    issue_of = {}

    def plan(i, k, pm_id):
        for j in range(1, SAFEGUARDS + 1):
            ref = f"{pm_id}/S{j}"
            roll = rng.random()
            at = rng.randint(i + 1, max(i + 1, n - 1))
            if roll < 0.55:
                trailers_at.setdefault(at, []).append(f"Postmortem-Safeguard: {ref}")
                if rng.random() < 0.1:  # shipped again later: the oldest wins
                    later = rng.randint(at, max(at, n - 1))
                    trailers_at.setdefault(later, []).append(f"Postmortem-Safeguard: {ref}")
                planned["trailer"] += 1
            elif roll < 0.70 and ref in issue_of:
                bodies_at.setdefault(at, []).append(f"Fixes #{issue_of[ref]}")
                planned["closing"] += 1
            elif roll < 0.75:
                unmerged.append(f"Postmortem-Safeguard: {ref}")
                planned["unmerged"] += 1
            elif roll < 0.78:
                bodies_at.setdefault(at, []).append(
                    f"Postmortem-Safeguard: {ref}\n\nNot a trailer: prose follows."
                )
                planned["body-only"] += 1
            else:
                planned["none"] += 1

    def files_for(i):
        return [(f"src/d{i % 20}/f{i % 500}.txt", f"{i}\n")]

    pr = 0
    i = 0
    while written < n:
        when = when_of(written)
        if written == 0:
            cfg = 'dir = "postmortems"\ndefault_branch = "main"\ncool_off = "24h"\nsafeguard_grace = "0d"\n\n[github]\nrepo = "acme/shop"\n'
            main_tip = s.commit("refs/heads/main", when, "Initial commit\n",
                                files=[(".postmortem.toml", cfg), ("README", "bench\n")])
            main_marks.append(main_tip)
            written += 1
            continue
        if written in add_at:
            files = []
            for k in add_at[written]:
                pm_id, text = postmortem_text(rng, k, when - timedelta(days=2), 10_000 + k * 10)
                for j in range(1, SAFEGUARDS + 1, 2):
                    issue_of[f"{pm_id}/S{j}"] = 10_000 + k * 10 + j
                files.append((f"postmortems/{pm_id}.toml", text))
                plan(written, k, pm_id)
            main_tip = s.commit("refs/heads/main", when,
                                f"Add postmortem {add_at[written][0]}\n", parent=main_tip, files=files)
            main_marks.append(main_tip)
            written += 1
            continue
        upcoming = any(j in add_at for j in range(written, written + 8))
        if rng.random() < 0.06 and written + 8 < n and not upcoming:
            # A side branch of 1-6 commits, merged back with a merge commit.
            tip = main_tip
            skewed = args.skew_days > 0 and rng.random() < 0.3
            for _ in range(rng.randint(1, 6)):
                w = when_of(written)
                if skewed:
                    w -= timedelta(days=args.skew_days)
                tip = s.commit("refs/heads/wip", w,
                               message(rng, trailers_at.pop(written, []), bodies_at.pop(written, [])),
                               parent=tip, files=files_for(written))
                written += 1
            pr += 1
            merged = "\n\n".join(bodies_at.pop(written, []) + ["\n".join(trailers_at.pop(written, []))])
            main_tip = s.commit("refs/heads/main", when_of(written),
                                f"Merge pull request #{pr} from dana/topic-{pr}\n\n{sentence(rng, 5)}\n\n{merged}".rstrip() + "\n",
                                parent=main_tip, merge=tip)
            main_marks.append(main_tip)
            written += 1
            continue
        main_tip = s.commit("refs/heads/main", when,
                            message(rng, trailers_at.pop(written, []), bodies_at.pop(written, [])),
                            parent=main_tip, files=files_for(written))
        main_marks.append(main_tip)
        written += 1
        i += 1

    # Branches that were never merged: their trailers must not count.
    for b in range(0, len(unmerged), 20):
        tip = rng.choice(main_marks[len(main_marks) // 2:])
        for t in unmerged[b:b + 20]:
            tip = s.commit(f"refs/heads/unmerged/{b // 20}", END,
                           message(rng, [t], []), parent=tip, files=files_for(b))
    s.write("done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "update-ref", "-d", "refs/heads/wip"], cwd=args.dir, check=False)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=args.dir, check=True)
    total = subprocess.run(["git", "rev-list", "--count", "main"], cwd=args.dir,
                           check=True, capture_output=True, text=True).stdout.strip()
    print(f"{args.dir}: {total} commits on main, {args.postmortems} postmortems, "
          f"{args.postmortems * SAFEGUARDS} safeguards; planned: {planned}", file=sys.stderr)


SAFEGUARDS = 5

if __name__ == "__main__":
    main()
