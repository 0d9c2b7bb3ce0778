"""Loads a DiffGen library with several inputs, dense and sparse outputs (in double and in float
arithmetic) through casadi.external, and compares every output with CasADi's own evaluation of
the same math, including calls where CasADi passes NULL for the outputs it does not need.
Prints a JSON report."""
import json
import random
import sys

import casadi as ca

library, twin_dir, name = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, twin_dir)
import twin  # noqa: E402

xu = ca.SX.sym("xu", 5)
phi = twin.cartpole_rk4(xu[0:4], xu[4])
reference = ca.Function("ref", [xu], [phi, ca.jacobian(phi, xu), ca.hessian(phi[0], xu)[0]])
external = ca.external(name, library)

random.seed(11)
worst_full, worst_single = 0.0, 0.0
S, U = ca.MX.sym("s", 4), ca.MX.sym("u", 1)
# Only the Jacobian is requested: CasADi passes NULL for the other two outputs.
only_jacobian = ca.Function("only_jac", [S, U], [external(S, U)[1]])
for _ in range(20):
    point = [random.uniform(-1, 1) for _ in range(5)]
    s, u = ca.DM(point[0:4]), ca.DM(point[4])
    ours = external(s, u)
    theirs = reference(ca.DM(point))
    for a, b in zip(ours, theirs):
        a, b = ca.DM(a).full(), ca.DM(b).full()
        assert a.shape == b.shape, (a.shape, b.shape)
        worst_full = max(worst_full, max(abs(x - y) / max(1.0, abs(y)) for x, y in zip(a.ravel(), b.ravel())))
    single = ca.DM(only_jacobian(s, u)).full()
    worst_single = max(worst_single, max(abs(x - y) / max(1.0, abs(y)) for x, y in zip(single.ravel(), ca.DM(theirs[1]).full().ravel())))
print(json.dumps({
    "max_rel_diff": worst_full, "max_rel_diff_null_outputs": worst_single,
    "n_in": external.n_in(), "n_out": external.n_out(),
    "names_in": [external.name_in(k) for k in range(external.n_in())],
    "names_out": [external.name_out(k) for k in range(external.n_out())],
    "nnz_out": [external.sparsity_out(k).nnz() for k in range(external.n_out())],
}))
