"""Loads DiffGen-generated code with casadi.external and compares it with CasADi's own
evaluation of the same problems (built by Benchmarks/casadi/twin.py). Prints a JSON report."""
import json
import math
import random
import sys

import casadi as ca

library, twin_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, twin_dir)
import twin  # noqa: E402

checks = [("panda_fk", 7, twin.panda_fk), ("cartpole_step", 5, twin.cartpole_step)]
report = {}
random.seed(5)
for name, n, build in checks:
    inputs, expr = build(0)
    x = inputs[0]
    reference = {"f": ca.Function("ref_f", [x], [expr]), "jac": ca.Function("ref_j", [x], [ca.jacobian(expr, x)])}
    external = {"f": ca.external(f"{name}_f", library), "jac": ca.external(f"{name}_jac", library)}
    worst = 0.0
    points = [twin.default_point(n)] + [[random.uniform(-1, 1) for _ in range(n)] for _ in range(5)]
    for point in points:
        for product in ("f", "jac"):
            ours = ca.DM(external[product](ca.DM(point))).full()
            theirs = ca.DM(reference[product](ca.DM(point))).full()
            assert ours.shape == theirs.shape, (name, product, ours.shape, theirs.shape)
            for a, b in zip(ours.ravel(), theirs.ravel()):
                worst = max(worst, abs(a - b) / max(1.0, abs(b)))
    report[name] = {"max_rel_diff": worst, "n_in": external["f"].n_in(), "name_in": external["jac"].name_in(0),
                    "jac_shape": list(external["jac"].size_out(0))}
print(json.dumps(report))
