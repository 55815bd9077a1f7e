// Validate GraphQL documents against GitHub's published schema, the
// introspection result in @octokit/graphql-schema's schema.json (its
// schema.graphql repeats a few fields, which buildSchema rejects).
// Usage: node validate.mjs FILE...   Each FILE holds one document.
// Prints every error and exits 1 on any.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildClientSchema, parse, validate } from "graphql";

// The package's exports do not list schema.json: read it from the
// install beside this script.
const here = dirname(fileURLToPath(import.meta.url));
const schemaPath = join(here, "node_modules", "@octokit", "graphql-schema", "schema.json");
const schema = buildClientSchema(JSON.parse(readFileSync(schemaPath, "utf8")));

let failed = 0;
for (const file of process.argv.slice(2)) {
  let errors;
  try {
    errors = validate(schema, parse(readFileSync(file, "utf8")));
  } catch (e) {
    errors = [e];
  }
  for (const error of errors) {
    failed += 1;
    console.log(`${file}: ${error.message}`);
  }
}
if (failed > 0) {
  process.exit(1);
}
console.log(`${process.argv.length - 2} documents valid`);
