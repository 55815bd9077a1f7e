#!/usr/bin/env python3
"""Extract, from GitHub's official OpenAPI description (the npm package
@octokit/openapi), the operations git-postmortem calls, into
tests/fixtures/github-openapi.json. The tests check every request the tool
sends, and the response fields it reads, against this file.

Usage: scripts/openapi-subset.py [path/to/api.github.com.deref.json]
Without an argument it fetches the package with `npm pack` into a temp dir:
version VERSION below, or OCTOKIT_OPENAPI_VERSION (e.g. `latest`).
"""
import json
import os
import subprocess
import sys
import tarfile
import tempfile

OPERATIONS = [
    ("get", "/repos/{owner}/{repo}/issues"),
    ("post", "/repos/{owner}/{repo}/issues"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("patch", "/repos/{owner}/{repo}/issues/{issue_number}"),
    ("get", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    ("get", "/repos/{owner}/{repo}/labels"),
    ("post", "/repos/{owner}/{repo}/labels"),
    ("get", "/repos/{owner}/{repo}/assignees/{assignee}"),
    ("patch", "/repos/{owner}/{repo}/issues/comments/{comment_id}"),
    ("get", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews"),
    ("get", "/user"),
]

# The package version the checked-in subset comes from.
VERSION = "23.0.2"


def slim(schema, depth=0):
    """Keep what a shape check needs: type, nullable, enum, required,
    properties (one level deep for objects), items."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key in ("type", "nullable", "enum", "required"):
        if key in schema:
            out[key] = schema[key]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            out[key] = [slim(s, depth + 1) for s in schema[key]]
    if "properties" in schema and depth < 2:
        out["properties"] = {k: slim(v, depth + 1) for k, v in schema["properties"].items()}
    if "items" in schema and depth < 3:
        out["items"] = slim(schema["items"], depth + 1)
    return out


def main():
    if len(sys.argv) > 1:
        spec_path = sys.argv[1]
        version = "local"
    else:
        tmp = tempfile.mkdtemp()
        wanted = os.environ.get("OCTOKIT_OPENAPI_VERSION", VERSION)
        name = subprocess.check_output(["npm", "pack", "--silent", "@octokit/openapi@" + wanted], cwd=tmp, text=True).strip().splitlines()[-1]
        with tarfile.open(os.path.join(tmp, name)) as tar:
            tar.extract("package/generated/api.github.com.deref.json", tmp)
            tar.extract("package/package.json", tmp)
        spec_path = os.path.join(tmp, "package/generated/api.github.com.deref.json")
        version = json.load(open(os.path.join(tmp, "package/package.json")))["version"]
    spec = json.load(open(spec_path))
    operations = []
    for method, path in OPERATIONS:
        op = spec["paths"][path][method]
        entry = {
            "method": method.upper(),
            "path": path,
            "query": {
                p["name"]: slim(p.get("schema", {}))
                for p in op.get("parameters", [])
                if p.get("in") == "query"
            },
            "responses": {},
        }
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if body:
            entry["request"] = slim(body)
        for status, response in op.get("responses", {}).items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            entry["responses"][status] = slim(schema) if schema else None
        operations.append(entry)
    out = {
        "source": "@octokit/openapi " + version + " generated/api.github.com.deref.json",
        "openapi": spec["openapi"],
        "operations": operations,
    }
    target = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "github-openapi.json")
    with open(target, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.normpath(target))


if __name__ == "__main__":
    main()
