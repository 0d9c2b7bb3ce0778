"""CasADi's twin of the cart-pole model the mpc-cartpole example controls: the RK4 step and its
linearization (A dense, B), written by CasADi's own code generator to OUT.c, for the run of the
same controller on CasADi's derivatives.

usage: casadi_twin.py OUT.c"""
import sys

import casadi as ca

x, u = ca.SX.sym("x", 4), ca.SX.sym("u", 1)


def ode(x, u):
    s, c = ca.sin(x[1]), ca.cos(x[1])
    theta_dd = (9.81 * s - c * (u + 0.05 * x[3] ** 2 * s) / 1.1) / (0.5 * (4 / 3 - 0.1 * c ** 2 / 1.1))
    p_dd = (u + 0.05 * (x[3] ** 2 * s - theta_dd * c)) / 1.1
    return ca.vertcat(x[2], x[3], p_dd, theta_dd)


dt = 0.05
k1 = ode(x, u)
k2 = ode(x + dt / 2 * k1, u)
k3 = ode(x + dt / 2 * k2, u)
k4 = ode(x + dt * k3, u)
after = x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
directory, name = sys.argv[1].rsplit("/", 1) if "/" in sys.argv[1] else (".", sys.argv[1])
generator = ca.CodeGenerator(name)
generator.add(ca.Function("casadi_stage", [x, u], [after, ca.densify(ca.jacobian(after, x)), ca.densify(ca.jacobian(after, u))]))
generator.add(ca.Function("casadi_step", [x, u], [after]))
generator.generate(directory + "/")
