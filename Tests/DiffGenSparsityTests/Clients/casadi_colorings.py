"""CasADi's colorings of pattern files (coordinate text: `rows cols nnz`, then `i j` per
nonzero): column and row (natural order) for every pattern, star (default, largest-first) and
star2 (Gebremedhin-Tarafdar-Manne-Pothen) for symmetric ones. Prints one JSON object by file.

usage: casadi_colorings.py FILE..."""
import json
import sys

import casadi as ca

result = {}
for path in sys.argv[1:]:
    with open(path) as text:
        rows, cols, _ = (int(v) for v in text.readline().split())
        pairs = [line.split() for line in text if line.strip()]
    sp = ca.Sparsity.triplet(rows, cols, [int(p[0]) for p in pairs], [int(p[1]) for p in pairs])
    counts = {"column": sp.uni_coloring().size2(), "row": sp.T.uni_coloring().size2()}
    if rows == cols and sp.is_symmetric():
        counts["star"] = sp.star_coloring().size2()
        counts["star2"] = sp.star_coloring2().size2()
    result[path] = counts
print(json.dumps(result))
