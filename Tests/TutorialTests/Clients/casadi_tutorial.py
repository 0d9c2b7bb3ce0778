"""Independent numbers for the tutorial test: the batch Jacobian and the 2-2-1 network's
Hessian built in CasADi SX, its eigenvalues by NumPy. Reads JSON on stdin, writes JSON."""
import json
import sys

import casadi as ca
import numpy as np

given = json.load(sys.stdin)

# Demo 1: f(X) = tanh(W X + b), one column per point; the Jacobian of vec(f) by vec(X).
W, b, points = np.array(given["W"]), np.array(given["b"]), given["inputs"]
X = ca.SX.sym("X", 2, len(points))
F = ca.tanh(ca.mtimes(W, X) + ca.repmat(ca.DM(b), 1, len(points)))
J = ca.Function("J", [X], [ca.jacobian(ca.vec(F), ca.vec(X))])
jac = np.array(J(np.array(points).T)).reshape(-1, order="F")

# Demo 2: y = W2 tanh(W1 x + b1) + b2 over theta = [W1 row-major, b1, W2, b2, x].
t = ca.SX.sym("t", 11)
W1 = ca.vertcat(ca.horzcat(t[0], t[1]), ca.horzcat(t[2], t[3]))
y = ca.mtimes(ca.horzcat(t[6], t[7]), ca.tanh(ca.mtimes(W1, t[9:11]) + t[4:6])) + t[8]
H, g = ca.hessian(y, t)
HF = ca.Function("H", [t], [y, g, H])
yv, gv, Hv = HF(np.array(given["theta"]))
Hd = np.array(Hv)
json.dump({
    "batch_jacobian": jac.tolist(),
    "y": float(yv),
    "gradient": np.array(gv).reshape(-1).tolist(),
    "hessian": Hd.reshape(-1, order="F").tolist(),
    "eigenvalues": np.linalg.eigvalsh(Hd).tolist(),
    "parameter_eigenvalues": np.linalg.eigvalsh(Hd[:9, :9]).tolist(),
}, sys.stdout)
