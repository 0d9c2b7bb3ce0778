"""The cart-pole of shared/bench/PROBLEMS.md in CasADi (the same numbers as
examples/models/cartpole.dg): the ODE and one RK4 step, for the scripts that twin DiffGen's C."""
import casadi as ca

DT = 0.05


def ode(x, u):
    s, c = ca.sin(x[1]), ca.cos(x[1])
    theta_dd = (9.81 * s - c * (u + 0.05 * x[3] ** 2 * s) / 1.1) / (0.5 * (4 / 3 - 0.1 * c ** 2 / 1.1))
    p_dd = (u + 0.05 * (x[3] ** 2 * s - theta_dd * c)) / 1.1
    return ca.vertcat(x[2], x[3], p_dd, theta_dd)


def rk4_step(x, u, dt=DT):
    k1 = ode(x, u)
    k2 = ode(x + dt / 2 * k1, u)
    k3 = ode(x + dt / 2 * k2, u)
    k4 = ode(x + dt * k3, u)
    return x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
