"""Count the pairs of joinedup's packages that import each other (directly or indirectly).

    uv run python scripts/package_cycles.py [--list]

Uses grimp (installed with import-linter). A "package" is a first-level subpackage of joinedup
(joinedup.people, joinedup.web, ...). A pair counts when each side has a chain of imports to the
other. The closing note of issue 12 reports this number before and after the layering work.
"""

from __future__ import annotations

import argparse
import itertools
import sys

import grimp


def _imports(graph: grimp.ImportGraph, a: str, b: str, *, direct: bool) -> bool:
    if not direct:
        return graph.chain_exists(importer=a, imported=b, as_packages=True)
    return bool(graph.find_matching_direct_imports(import_expression=f"{a}.** -> {b}.**")) or bool(
        graph.find_matching_direct_imports(import_expression=f"{a} -> {b}.**")
    )


def mutual_pairs(root: str = "joinedup", *, direct: bool = False) -> list[tuple[str, str]]:
    graph = grimp.build_graph(root)
    packages = sorted(m for m in graph.find_children(root) if graph.find_children(m))
    return [
        (a, b)
        for a, b in itertools.combinations(packages, 2)
        if _imports(graph, a, b, direct=direct) and _imports(graph, b, a, direct=direct)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="name each pair")
    parser.add_argument(
        "--direct", action="store_true", help="count only direct imports (default: any chain)"
    )
    args = parser.parse_args()
    pairs = mutual_pairs(direct=args.direct)
    kind = "directly" if args.direct else "directly or through other packages"
    print(f"{len(pairs)} pairs of packages import each other ({kind})")
    if args.list:
        for a, b in pairs:
            print(f"  {a} <-> {b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
