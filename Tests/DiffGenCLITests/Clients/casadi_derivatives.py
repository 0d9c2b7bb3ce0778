"""Checks a DiffGen library's CasADi derivative functions for the cart-pole `step` or
`linearization` (the README's model) against the ones CasADi makes itself (jacobian(),
forward(N), reverse(N) for N = 1, 2, 4, … up to DIRECTIONS, and with ORDER 2 each of theirs):
the same names, port names, shapes and sparsity patterns, and the same values at random
arguments. Prints one line per function and the largest difference; exits 1 on any mismatch.

usage: casadi_derivatives.py LIBRARY FUNCTION ORDER [DIRECTIONS]"""
import os
import sys

import casadi as ca
import numpy as np

# The cart-pole in CasADi, shared with the benchmarks' scripts.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../Benchmarks/casadi"))
from cartpole_model import rk4_step  # noqa: E402

library, function, order = sys.argv[1], sys.argv[2], int(sys.argv[3])
directions = [n for n in (1, 2, 4, 8, 16, 32, 64) if n <= (int(sys.argv[4]) if len(sys.argv) > 4 else 1)]
x, u = ca.SX.sym("x", 4), ca.SX.sym("u", 1)


after = rk4_step(x, u)
functions = {
    "step": ca.Function("step", [x, u], [after], ["x", "u"], ["next"]),
    "linearization": ca.Function("linearization", [x, u], [ca.jacobian(after, x), ca.densify(ca.jacobian(after, u))], ["x", "u"], ["A", "B"]),
}


def derivatives(f):
    return [f.jacobian()] + [f.forward(n) for n in directions] + [f.reverse(n) for n in directions]


expected = [g for first in derivatives(functions[function]) for g in [first] + (derivatives(first) if order == 2 else [])]
rng = np.random.default_rng(0)
worst, failures = 0.0, []
for reference in expected:
    name = reference.name()
    ours = ca.external(name, library)
    ports = lambda f: ([(f.name_in(i), f.sparsity_in(i)) for i in range(f.n_in())], [(f.name_out(i), f.sparsity_out(i)) for i in range(f.n_out())])
    for side, a, b in zip(("input", "output"), ports(ours), ports(reference)):
        if [n for n, _ in a] != [n for n, _ in b]:
            failures.append(f"{name}: {side} names {[n for n, _ in a]} against {[n for n, _ in b]}")
        for (n, sa), (_, sb) in zip(a, b):
            if sa.shape != sb.shape or sa.get_triplet() != sb.get_triplet():
                failures.append(f"{name}: {side} {n} sparsity {sa.shape} {sa.nnz()} against {sb.shape} {sb.nnz()}")
    arguments = [rng.standard_normal(reference.sparsity_in(i).shape) for i in range(reference.n_in())]
    for a, b in zip(ours.call([ca.DM(v) for v in arguments]), reference.call([ca.DM(v) for v in arguments])):
        if a.nnz() or b.nnz():
            worst = max(worst, float(np.max(np.abs(ca.DM(a).full() - ca.DM(b).full()))))
    print(name, ours.n_in(), ours.n_out())
print("largest difference", worst)
for failure in failures:
    print(failure, file=sys.stderr)
sys.exit(1 if failures or worst > 1e-12 else 0)
