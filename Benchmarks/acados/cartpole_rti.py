"""acados (SQP-RTI, HPIPM, exact Hessian, ERK4) on the cart-pole OCP of shared/bench/PROBLEMS.md
(N = 20, dt = 0.05, Q = diag(1, 10, 0.1, 0.1), R = 0.01, |F| <= 2, from [0, 0.4, 0, 0]) in closed
loop, twice: on the model functions acados generates, and on DiffGen's (`diffgen acados`) copied
over them. Runs in a Python with the `comma-deps-acados` wheel (scripts/acados-env.sh).

usage: cartpole_rti.py WORKDIR DIFFGEN_MODEL_DIR [STEPS [ROUNDS]]   writes WORKDIR/result.json
(acados prints to standard output)."""
import glob
import json
import os
import shutil
import subprocess
import sys

import acados
# The wheel keeps acados' install tree, its templates and the renderer apart from where
# acados_template looks by default: say where they are.
os.environ["ACADOS_SOURCE_DIR"] = acados.DIR
os.environ["ACADOS_PYTHON_INTERFACE_PATH"] = acados.TEMPLATE_DIR
os.environ["TERA_PATH"] = acados.TERA_PATH
# The solver library finds acados' own libraries through the loader's path, read at start-up.
if acados.LIB_DIR not in os.environ.get("LD_LIBRARY_PATH", "").split(":"):
    os.environ["LD_LIBRARY_PATH"] = ":".join(filter(None, [acados.LIB_DIR, os.environ.get("LD_LIBRARY_PATH")]))
    os.execv(sys.executable, [sys.executable] + sys.argv)
sys.path.insert(0, os.path.dirname(acados.TEMPLATE_DIR))
import casadi as ca  # noqa: E402  the wheel's own CasADi, which its templates use
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../casadi"))
from cartpole_model import ode  # noqa: E402
import numpy as np  # noqa: E402
from acados_template import AcadosModel, AcadosOcp, AcadosOcpSolver  # noqa: E402

work, ours = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 100
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
os.makedirs(work, exist_ok=True)
os.chdir(work)


def problem(directory):
    model = AcadosModel()
    model.name = "cartpole"
    model.x, model.u = ca.SX.sym("x", 4), ca.SX.sym("u", 1)
    model.f_expl_expr = ode(model.x, model.u)
    ocp = AcadosOcp()
    ocp.model = model
    ocp.dims.N = 20
    ocp.solver_options.tf = 1.0
    ocp.cost.cost_type = ocp.cost.cost_type_e = "LINEAR_LS"
    ocp.cost.W = 2 * np.diag([1, 10, 0.1, 0.1, 0.01])
    ocp.cost.W_e = 2 * np.diag([1, 10, 0.1, 0.1])
    ocp.cost.Vx = np.vstack([np.eye(4), np.zeros((1, 4))])
    ocp.cost.Vu = np.vstack([np.zeros((4, 1)), np.ones((1, 1))])
    ocp.cost.Vx_e = np.eye(4)
    ocp.cost.yref, ocp.cost.yref_e = np.zeros(5), np.zeros(4)
    ocp.constraints.lbu, ocp.constraints.ubu, ocp.constraints.idxbu = np.array([-2.0]), np.array([2.0]), np.array([0])
    ocp.constraints.x0 = np.array([0.0, 0.4, 0.0, 0.0])
    ocp.solver_options.qp_solver = "PARTIAL_CONDENSING_HPIPM"
    ocp.solver_options.hessian_approx = "EXACT"  # runs expl_ode_hess and expl_vde_adj
    ocp.solver_options.regularize_method = "MIRROR"  # the exact Hessian is indefinite away from the optimum
    ocp.solver_options.integrator_type = "ERK"
    ocp.solver_options.sim_method_num_stages = 4
    ocp.solver_options.sim_method_num_steps = 1
    ocp.solver_options.nlp_solver_type = "SQP_RTI"
    ocp.code_export_directory = os.path.join(directory, "c_generated_code")
    return ocp


def plant(x, u, dt=0.05, substeps=10):
    """The true system: RK4 with 10 substeps per control interval (NumPy, independent of both)."""
    def f(x):
        s, c = np.sin(x[1]), np.cos(x[1])
        theta_dd = (9.81 * s - c * (u + 0.05 * x[3] ** 2 * s) / 1.1) / (0.5 * (4 / 3 - 0.1 * c ** 2 / 1.1))
        return np.array([x[2], x[3], (u + 0.05 * (x[3] ** 2 * s - theta_dd * c)) / 1.1, theta_dd])
    h = dt / substeps
    for _ in range(substeps):
        k1 = f(x); k2 = f(x + h / 2 * k1); k3 = f(x + h / 2 * k2); k4 = f(x + h * k3)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x


def closed_loop(solver):
    x = np.array([0.0, 0.4, 0.0, 0.0])
    for k in range(21):
        solver.set(k, "x", np.zeros(4) if k else x)
    states, inputs, total, linearization, qp, statuses = [x.tolist()], [], [], [], [], []
    for _ in range(steps):
        solver.set(0, "lbx", x)
        solver.set(0, "ubx", x)
        statuses.append(solver.solve())
        u = float(solver.get(0, "u")[0])
        total.append(solver.get_stats("time_tot"))
        linearization.append(solver.get_stats("time_lin"))
        qp.append(solver.get_stats("time_qp"))
        x = plant(x, u)
        states.append(x.tolist())
        inputs.append(u)
    return states, inputs, total, linearization, qp, statuses


solvers = {}
for label in ("acados", "diffgen"):
    directory = os.path.join(work, label)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    ocp = problem(directory)
    json_file = os.path.join(directory, "ocp.json")
    if label == "acados":
        solvers[label] = AcadosOcpSolver(ocp, json_file=json_file, verbose=False)
        continue
    AcadosOcpSolver.generate(ocp, json_file=json_file)
    model_dir = os.path.join(ocp.code_export_directory, "cartpole_model")
    replaced = []
    for source in sorted(glob.glob(os.path.join(ours, "cartpole_expl_*.c"))):
        target = os.path.join(model_dir, os.path.basename(source))
        assert os.path.exists(target), f"acados generated no {os.path.basename(source)}"
        shutil.copyfile(source, target)
        replaced.append(os.path.basename(source))
    assert len(replaced) == 4, replaced
    AcadosOcpSolver.build(ocp.code_export_directory, with_cython=False, verbose=False)
    solvers[label] = AcadosOcpSolver(ocp, json_file=json_file, build=False, generate=False, verbose=False)

# Interleaved rounds: the machine is shared, so each round runs both closed loops once.
runs = {label: [] for label in solvers}
for _ in range(rounds):
    for label, solver in solvers.items():
        solver.reset()
        runs[label].append(closed_loop(solver))
result = {}
for label, loops in runs.items():
    states, inputs = loops[-1][0], loops[-1][1]
    per_step = lambda index: float(np.median([np.median(loop[index]) for loop in loops]))
    result[label] = {"states": states, "inputs": inputs, "step_us": per_step(2) * 1e6, "linearization_us": per_step(3) * 1e6,
                     "qp_us": per_step(4) * 1e6, "failed_steps": sum(1 for loop in loops for status in loop[5] if status != 0)}
with open(os.path.join(work, "result.json"), "w") as f:
    json.dump(result, f)
