"""Loads DiffGen's map, fold and calling functions with casadi.external and compares them with CasADi's own
SX derivatives of the same math. Prints a JSON report: max relative difference and whether the
sparsity patterns are identical, per function.

usage: casadi_map.py LIBRARY N STEPS TWIN_DIRECTORY
"""
import json
import math
import sys

import casadi as ca

library, n, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
from twin import cartpole_rk4  # noqa: E402


def compare(mine, theirs):
    a, b = ca.DM(mine), ca.DM(theirs)
    same = a.sparsity() == b.sparsity()
    dense_a, dense_b = ca.densify(a).full(), ca.densify(b).full()
    worst = 0.0
    for i in range(dense_a.shape[0]):
        for j in range(dense_a.shape[1]):
            worst = max(worst, abs(dense_a[i, j] - dense_b[i, j]) / max(1.0, abs(dense_b[i, j])))
    return {"max_rel_diff": worst, "same_pattern": bool(same), "nnz": int(a.nnz())}


report = {}
x = ca.SX.sym("x", n)
f = ca.sum1(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
point = [0.5 * math.sin(1 + 0.7 * k) + 0.1 for k in range(n)]
hessian = ca.Function("h", [x], [ca.hessian(f, x)[0]])
report["rosenbrock_hess"] = compare(ca.external("rosenbrock_hess", library)(point), hessian(point))

intervals = 6
w = ca.SX.sym("w", 5 * intervals + 4)
gaps = []
for k in range(intervals):
    phi = cartpole_rk4(w[5 * k:5 * k + 4], w[5 * k + 4])
    gaps.append(w[5 * k + 5:5 * k + 9] - phi)
g = ca.vertcat(*gaps)
wp = [0.3 * math.sin(1.3 * k) for k in range(5 * intervals + 4)]
jac = ca.Function("j", [w], [ca.jacobian(g, w)])
report["gaps_jac"] = compare(ca.external("gaps_jac", library)(wp), jac(wp))
report["gaps_calls_jac"] = compare(ca.external("gaps_calls_jac", library)(wp), jac(wp))

lam = ca.SX.sym("lam", 4 * intervals)
q, r = [1.0, 10, 0.1, 0.1], 0.01
objective = 0
for k in range(intervals + 1):
    objective += sum(q[i] * w[5 * k + i] ** 2 for i in range(4))
    if k < intervals:
        objective += r * w[5 * k + 4] ** 2
lagrangian = objective + ca.dot(lam, g)
lp = [0.7 * math.cos(0.9 * k) for k in range(4 * intervals)]
hess = ca.Function("h", [w, lam], [ca.hessian(lagrangian, w)[0]])
report["lagrangian_calls_hess"] = compare(ca.external("lagrangian_calls_hess", library)(wp, lp), hess(wp, lp))

z = ca.SX.sym("z", 2)
v = z[0]
for _ in range(steps):
    v = ca.sin(v) * v + (0.1 * v) * z[1]
zp = [0.5 * math.sin(1 + 0.7 * k) + 0.1 for k in range(2)]
grad = ca.Function("g", [z], [ca.gradient(v, z)])
report["chain_grad"] = compare(ca.external("chain_grad", library)(zp), grad(zp))
print(json.dumps(report))
