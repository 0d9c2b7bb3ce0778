"""The cart-pole multiple-shooting OCP of shared/bench/PROBLEMS.md (N = 20, dt = 0.05, Q, R)
from x0 = [0, 0.4, 0, 0] with |F| <= 2, solved by IPOPT through nlpsol with the exact Hessian
twice: all in CasADi (the RK4 step built in SX, the NLP expanded to SX), and with the step from
a DiffGen library loaded by casadi.external (MX NLP; CasADi differentiates the external step
through DiffGen's jac_/fwd/adj functions, finite differences disabled).

With NLP_LIBRARY (DiffGen's CasADiNLP functions of examples/models/cartpole_ms.dg), a third
solve takes f, g and every derivative IPOPT needs from it: nlp_f and nlp_g as externals, and
nlpsol's options grad_f, jac_g and hess_lag set to nlp_grad_f, nlp_jac_g and nlp_hess_l.

usage: cartpole_ocp.py LIBRARY [REPEATS [NLP_LIBRARY]]   prints one JSON object."""
import json
import os
import sys
import time

import casadi as ca
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cartpole_model import rk4_step  # noqa: E402

library = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
nlp_library = sys.argv[3] if len(sys.argv) > 3 else None

x = ca.SX.sym("x", 4)
u = ca.SX.sym("u", 1)
N = 20
twin = ca.Function("step", [x, u], [rk4_step(x, u)], ["x", "u"], ["next"])
external = ca.external("step", library, {"enable_fd": False})
Q, R = ca.diag(ca.DM([1, 10, 0.1, 0.1])), 0.01


def problem(step, sym):
    w = sym.sym("w", 5 * N + 4)
    cost, gaps = 0, []
    for k in range(N):
        xk, uk = w[5 * k:5 * k + 4], w[5 * k + 4]
        cost += ca.mtimes([xk.T, Q, xk]) + R * uk ** 2
        gaps.append(w[5 * (k + 1):5 * (k + 1) + 4] - step(xk, uk))
    xN = w[5 * N:5 * N + 4]
    return {"x": w, "f": cost + ca.mtimes([xN.T, Q, xN]), "g": ca.vertcat(*gaps)}


lbx, ubx = -np.inf * np.ones(5 * N + 4), np.inf * np.ones(5 * N + 4)
lbx[0:4] = ubx[0:4] = [0, 0.4, 0, 0]
for k in range(N):
    lbx[5 * k + 4], ubx[5 * k + 4] = -2, 2
options = {"ipopt.print_level": 0, "print_time": 0, "ipopt.sb": "yes", "ipopt.tol": 1e-10}
def whole_nlp():
    load = lambda name: ca.external(name, nlp_library, {"enable_fd": False})
    w = ca.MX.sym("w", 5 * N + 4)
    derivatives = {"grad_f": load("nlp_grad_f"), "jac_g": load("nlp_jac_g"), "hess_lag": load("nlp_hess_l")}
    return {"x": w, "f": load("nlp_f")(w, []), "g": load("nlp_g")(w, [])}, derivatives


formulations = [("casadi", problem(twin, ca.SX), {}), ("diffgen", problem(external, ca.MX), {})]
if nlp_library:
    formulations.append(("diffgen_nlp",) + whole_nlp())
result = {}
for label, nlp, functions in formulations:
    solver = ca.nlpsol("solver", "ipopt", nlp, {**options, **functions})
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        solution = solver(x0=0, lbx=lbx, ubx=ubx, lbg=0, ubg=0)
        seconds.append(time.perf_counter() - start)
    stats = solver.stats()
    result[label] = {"x": np.array(solution["x"]).ravel().tolist(), "f": float(solution["f"]), "iterations": stats["iter_count"],
                     "status": stats["return_status"], "median_seconds": sorted(seconds)[len(seconds) // 2]}
print(json.dumps(result))
