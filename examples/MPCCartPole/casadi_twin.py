"""CasADi's twin of the cart-pole model the mpc-cartpole example controls: the RK4 step and its
linearization (A dense, B), written by CasADi's own code generator to OUT.c, for the run of the
same controller on CasADi's derivatives.

usage: casadi_twin.py OUT.c"""
import os
import sys

import casadi as ca

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../Benchmarks/casadi"))
from cartpole_model import rk4_step  # noqa: E402

x, u = ca.SX.sym("x", 4), ca.SX.sym("u", 1)
after = rk4_step(x, u)
directory, name = sys.argv[1].rsplit("/", 1) if "/" in sys.argv[1] else (".", sys.argv[1])
generator = ca.CodeGenerator(name)
generator.add(ca.Function("casadi_stage", [x, u], [after, ca.densify(ca.jacobian(after, x)), ca.densify(ca.jacobian(after, u))]))
generator.add(ca.Function("casadi_step", [x, u], [after]))
generator.generate(directory + "/")
