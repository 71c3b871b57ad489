#!/usr/bin/env bash
# Lists import circles between modules: for every pair of sibling modules (two children of the
# same parent, a file or a folder each) it notes which one uses the other (`crate::` and
# `super::` paths in non-test code, anywhere in their files), and prints each group of siblings
# that reach each other. Exits 1 when there is one. Usage: scripts/import-cycles.sh [SRC_DIR...]
# (default: src simulator/src). A module using its own ancestors (items of a mod.rs) is normal
# and not counted.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -gt 0 ] || set -- src simulator/src
exec python3 - "$@" <<'PY'
import os, re, sys
from collections import defaultdict

found = False
for root in sys.argv[1:]:
    files = {}
    for directory, _, names in os.walk(root):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, root)[:-3].split(os.sep)
            if rel[-1] in ("mod", "lib", "main"):
                rel = rel[:-1]
            if len(rel) == 1 and rel[0] in ("lib", "main"):
                rel = []
            files[path] = tuple(rel)
    modules = set(files.values())
    def resolve(parts):
        # The longest known module the path names.
        for end in range(len(parts), 0, -1):
            if tuple(parts[:end]) in modules:
                return tuple(parts[:end])
        return None
    edges = defaultdict(set)
    for path, module in files.items():
        is_dir_module = os.path.basename(path) in ("mod.rs", "lib.rs", "main.rs")
        text = open(path, encoding="utf-8").read().split("#[cfg(test)]")[0]
        for line in text.splitlines():
            code = line.split("//")[0]
            for match in re.finditer(r"\b((?:crate|super)(?:::(?:super|[A-Za-z_][A-Za-z0-9_]*))+)", code):
                parts = match.group(1).split("::")
                if parts[0] == "crate":
                    target = parts[1:]
                else:
                    ups = 0
                    while parts and parts[0] == "super":
                        ups += 1
                        parts = parts[1:]
                    # `super` is the module's parent (a folder's mod.rs is the folder's module).
                    target = list(module)[: len(module) - ups] + parts
                target = resolve(target)
                if target is None:
                    continue
                a, b = module, target
                # Common ancestor, then the two siblings under it.
                common = 0
                while common < min(len(a), len(b)) and a[common] == b[common]:
                    common += 1
                if common == len(a) or common == len(b):
                    continue  # an ancestor or a descendant
                edges[a[: common + 1]].add(b[: common + 1])
    # Strongly connected components (Tarjan) over the sibling graph.
    index, low, stack, on, comps, counter = {}, {}, [], set(), [], [0]
    def strong(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            strong(v)
    for comp in comps:
        found = True
        print(f"{root}: " + " <-> ".join("::".join(m) or "crate" for m in comp))
sys.exit(1 if found else 0)
PY
