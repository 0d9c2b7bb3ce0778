"""CasADi twins of the reference problems (shared/bench/PROBLEMS.md), driven by diffgen-bench.

Runs as a worker: one JSON command per line on stdin, one JSON answer per line on stdout, so the
Swift harness can interleave DiffGen and CasADi measurements in one run. `--memory PROBLEM SIZE`
instead builds one problem in this fresh process and prints its peak-memory figures.
"""
import json
import math
import os
import sys
import time

import casadi as ca


def default_point(n, offset=0):
    return [0.5 * math.sin(1 + 0.7 * (k + offset)) + 0.1 for k in range(n)]


def exact_cos_sin(alpha):
    quarter = alpha / (math.pi / 2)
    if abs(quarter - round(quarter)) < 1e-12:
        return [(1, 0), (0, 1), (-1, 0), (0, -1)][int(round(quarter)) % 4]
    return math.cos(alpha), math.sin(alpha)


def panda_fk(_size):
    q = ca.SX.sym("q", 7)
    links = [(0, 0.333, 0), (0, 0, -math.pi / 2), (0, 0.316, math.pi / 2), (0.0825, 0, math.pi / 2),
             (-0.0825, 0.384, -math.pi / 2), (0, 0, math.pi / 2), (0.088, 0, math.pi / 2)]

    def link(a, d, alpha, theta):
        c_a, s_a = exact_cos_sin(alpha)
        ct, st = ca.cos(theta), ca.sin(theta)
        return ca.vertcat(ca.horzcat(ct, -st, 0, a),
                          ca.horzcat(st * c_a, ct * c_a, -s_a, -d * s_a),
                          ca.horzcat(st * s_a, ct * s_a, c_a, d * c_a),
                          ca.horzcat(0, 0, 0, 1))

    t = link(*links[0], q[0])
    for i in range(1, 7):
        t = ca.mtimes(t, link(*links[i], q[i]))
    t = ca.mtimes(t, link(0, 0.107, 0, 0))
    f = ca.vertcat(t[0, 3], t[1, 3], t[2, 3], t[0, 0], t[0, 1], t[0, 2],
                   t[1, 0], t[1, 1], t[1, 2], t[2, 0], t[2, 1], t[2, 2])
    return [q], f


def cartpole_ode(x, u):
    big_m, m, l, g = 1.0, 0.1, 0.5, 9.81
    theta, omega = x[1], x[3]
    s, c = ca.sin(theta), ca.cos(theta)
    theta_dd = (g * s - c * ((u + m * l * omega**2 * s) / (big_m + m))) / (l * (4.0 / 3.0 - m * c**2 / (big_m + m)))
    p_dd = (u + m * l * (omega**2 * s - theta_dd * c)) / (big_m + m)
    return ca.vertcat(x[2], x[3], p_dd, theta_dd)


def cartpole_rk4(x, u, dt=0.05):
    k1 = cartpole_ode(x, u)
    k2 = cartpole_ode(x + dt / 2 * k1, u)
    k3 = cartpole_ode(x + dt / 2 * k2, u)
    k4 = cartpole_ode(x + dt * k3, u)
    return x + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


def cartpole_step(_size):
    xu = ca.SX.sym("xu", 5)
    return [xu], cartpole_rk4(xu[0:4], xu[4])


def mlp(_size):
    v = ca.SX.sym("v", 107)
    w1 = ca.reshape(v[0:16], 2, 8).T
    b1 = v[16:24]
    w2 = ca.reshape(v[24:88], 8, 8).T
    b2 = v[88:96]
    w3 = ca.reshape(v[96:104], 8, 1).T
    b3 = v[104]
    x = v[105:107]
    y = ca.mtimes(w3, ca.tanh(ca.mtimes(w2, ca.tanh(ca.mtimes(w1, x) + b1)) + b2)) + b3
    return [v], y


def rosenbrock(n):
    x = ca.SX.sym("x", n)
    f = 0
    for i in range(n - 1):
        f = f + 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2
    return [x], f


def nbody_energy(_size, n=30):
    r = ca.SX.sym("r", 3 * n)
    e = 0
    for i in range(n):
        for j in range(i + 1, n):
            mm = (1 + i / n) * (1 + j / n)
            d2 = (r[3 * i] - r[3 * j]) ** 2 + (r[3 * i + 1] - r[3 * j + 1]) ** 2 + (r[3 * i + 2] - r[3 * j + 2]) ** 2
            e = e - mm / ca.sqrt(d2 + 0.01)
    return [r], e


def cartpole_ms(_size, n=20):
    w = ca.SX.sym("w", 5 * n + 4)
    lam = ca.SX.sym("lambda", 4 * n)
    sigma = ca.SX.sym("sigma")
    q = [1.0, 10, 0.1, 0.1]
    g, objective = [], 0
    for k in range(n):
        x, u = w[5 * k:5 * k + 4], w[5 * k + 4]
        g.append(w[5 * (k + 1):5 * (k + 1) + 4] - cartpole_rk4(x, u))
        objective = objective + sum(q[i] * x[i] ** 2 for i in range(4)) + 0.01 * u ** 2
    objective = objective + sum(q[i] * w[5 * n + i] ** 2 for i in range(4))
    return [w, lam, sigma], (ca.vertcat(*g), objective)


def deep_chain(steps):
    # CasADi's fastest route to this graph (a Python loop takes ~70 µs a step): fold the step
    # function in its C++ core, then expand to SX.
    x, p = ca.SX.sym("x"), ca.SX.sym("p")
    step = ca.Function("step", [x, p], [ca.sin(x) * x + (0.1 * x) * p])
    z = ca.MX.sym("z", 2)
    chained = ca.Function("chain", [z], [step.fold(steps)(z[0], ca.repmat(z[1], 1, steps))]).expand()
    zs = ca.SX.sym("z", 2)
    return [zs], chained(zs)


PROBLEMS = {
    "panda_fk": panda_fk, "cartpole_step": cartpole_step, "mlp": mlp,
    "rosenbrock": rosenbrock, "nbody_energy": nbody_energy, "deep_chain": deep_chain,
}


def product(problem, size, name):
    """A derivative product as (inputs, expression), timed by the caller: jac, grad, hess,
    and for cartpole_ms g, jac_g, grad_J, hess_L."""
    inputs, f = PROBLEMS[problem](size) if problem != "cartpole_ms" else cartpole_ms(size)
    if problem == "cartpole_ms":
        (w, lam, sigma), (g, objective) = inputs, f
        start = time.thread_time()
        if name == "jac_g":
            expr = ca.jacobian(g, w)
        elif name == "grad_J":
            expr = ca.gradient(objective, w)
        elif name == "hess_L":
            expr, _ = ca.hessian(sigma * objective + ca.dot(lam, g), w)
        else:
            raise ValueError(name)
        return [w, lam, sigma] if name == "hess_L" else [w], expr, time.thread_time() - start
    x = inputs[0]
    start = time.thread_time()
    if name == "jac":
        expr = ca.jacobian(f, x)
    elif name == "grad":
        expr = ca.gradient(f, x)
    elif name == "hess":
        expr, _ = ca.hessian(f, x)
    else:
        raise ValueError(name)
    return inputs, expr, time.thread_time() - start


def operation_count(function):
    skip = {ca.OP_INPUT, ca.OP_OUTPUT, ca.OP_CONST}
    return sum(1 for k in range(function.n_instructions()) if function.instruction_id(k) not in skip)


def build(problem, size):
    start, wall = time.thread_time(), time.perf_counter()
    inputs, f = PROBLEMS[problem](size)
    seconds, wall_seconds = time.thread_time() - start, time.perf_counter() - wall
    return inputs, f, seconds, wall_seconds


def generate_c(name, inputs, expr, directory):
    """Function() then generate() as CasADi users do, each timed; the file lands in `directory`."""
    start = time.thread_time()
    function = ca.Function(name, inputs, [expr])
    function_seconds = time.thread_time() - start
    start = time.thread_time()
    function.generate(name + ".c")
    generate_seconds = time.thread_time() - start
    target = os.path.join(directory, name + ".c")
    os.replace(name + ".c", target)
    return function, function_seconds, generate_seconds, target


def handle(command):
    kind = command["cmd"]
    if kind == "version":
        return {"casadi": ca.__version__, "python": sys.version.split()[0]}
    if kind == "scale":
        # Model to generated C, step by step, for the large problems (thread CPU seconds).
        start = time.thread_time()
        base_inputs, f = PROBLEMS[command["problem"]](command.get("size", 0))
        build_seconds = time.thread_time() - start
        x = base_inputs[0]
        start = time.thread_time()
        expr = ca.hessian(f, x)[0] if command["product"] == "hess" else ca.gradient(f, x)
        derivative_seconds = time.thread_time() - start
        _, function_seconds, generate_seconds, target = generate_c(command["name"], base_inputs, expr, command["directory"])
        return {"build": build_seconds, "derivative": derivative_seconds, "function": function_seconds,
                "generate": generate_seconds, "path": target, "peak_rss": resident_memory()[1]}
    if kind == "coloring":
        return coloring(command)
    problem, size = command["problem"], command.get("size", 0)
    if kind == "build":
        inputs, f, seconds, wall_seconds = build(problem, size)
        answer = {"seconds": seconds, "wall": wall_seconds}
        if command.get("count_ops", False):
            answer["ops"] = operation_count(ca.Function("f", inputs, [f]))
            answer["ops_cse"] = operation_count(ca.Function("f", inputs, [f], {"cse": True}))
        return answer
    if kind == "derivative":
        inputs, expr, seconds = product(problem, size, command["product"])
        answer = {"seconds": seconds}
        if command.get("count_ops", False):
            answer["ops_cse"] = operation_count(ca.Function("d", inputs, [expr], {"cse": True}))
            answer["nnz"] = expr.nnz()
            # CasADi's own colorings of the product's pattern (columns, rows, star).
            sp = expr.sparsity()
            answer["colors"] = {"column": sp.uni_coloring().size2(), "row": sp.T.uni_coloring().size2()}
            if sp.is_square() and sp.is_symmetric():
                answer["colors"]["star"] = sp.star_coloring().size2()
        if "points" in command:
            function = ca.Function("d", inputs, [expr])
            answer["values"] = [[float(v) for v in ca.DM(function(*[ca.DM(p) for p in point])).full().ravel(order="F")]
                                for point in command["points"]]
        return answer
    if kind == "generate":
        # The product as CasADi users get it: Function() then generate(), timed like ours.
        inputs, expr, derivative_seconds = product(problem, size, command["product"])
        function, function_seconds, generate_seconds, target = generate_c(command["name"], inputs, expr, command["directory"])
        with open(target) as source:
            text = source.read()
        return {"derivative": derivative_seconds, "function": function_seconds, "generate": generate_seconds,
                "path": target, "lines": text.count("\n"), "bytes": len(text.encode()),
                "instructions": operation_count(function)}
    if kind == "eval":
        inputs, f, _, _ = build(problem, size)
        function = ca.Function("f", inputs, [f])
        return {"values": [[float(v) for v in ca.DM(function(*[ca.DM(point) for point in points])).full().ravel(order="F")]
                           for points in command["points"]]}
    raise ValueError(f"unknown command {kind!r}")


def coloring_pattern(command):
    """The pattern of a reference file, or one of the generated timing instances."""
    if "path" in command:
        with open(command["path"]) as text:
            rows, cols, _ = (int(v) for v in text.readline().split())
            pairs = [line.split() for line in text if line.strip()]
        return ca.Sparsity.triplet(rows, cols, [int(p[0]) for p in pairs], [int(p[1]) for p in pairs])
    if command["generate"] == "lap3d":
        k = command["k"]
        rows, cols = [], []
        for x in range(k):
            for y in range(k):
                for z in range(k):
                    i = (x * k + y) * k + z
                    for j, ok in ((i, True), (i - k * k, x > 0), (i + k * k, x < k - 1), (i - k, y > 0),
                                  (i + k, y < k - 1), (i - 1, z > 0), (i + 1, z < k - 1)):
                        if ok:
                            rows.append(i)
                            cols.append(j)
        return ca.Sparsity.triplet(k ** 3, k ** 3, rows, cols)
    n, b, dense = command["n"], command["b"], command["dense"]
    rows, cols = [], []
    for i in range(n):
        for j in range(max(0, i - b), min(n, i + b + 1)):
            rows.append(i)
            cols.append(j)
    for d in range(n - dense, n):
        for j in range(n):
            rows += [d, j]
            cols += [j, d]
    return ca.Sparsity.triplet(n, n, rows, cols)


def coloring(command):
    """CasADi's colorings of one pattern: counts and thread CPU seconds (best of `reps`)."""
    sp = coloring_pattern(command)
    reps = command.get("reps", 3)

    def best(run):
        # At least `reps` runs, and more (up to 200) until 0.2 s are spent: minima of
        # microsecond runs need many samples on a shared machine.
        result, fastest, spent, runs = None, float("inf"), 0.0, 0
        while runs < reps or (spent < 0.2 and runs < 200):
            start = time.thread_time()
            result = run()
            elapsed = time.thread_time() - start
            fastest, spent, runs = min(fastest, elapsed), spent + elapsed, runs + 1
        return result.size2(), fastest

    answer = {}
    if command.get("star_only"):
        # CasADi's default star coloring takes over 300 s here and star_coloring2 44 s in
        # largest-first order (shared/bench/coloring/RESULTS.md): only the natural-order run.
        answer["star2"], answer["star2_seconds"] = best(lambda: sp.star_coloring2(0))
        return answer
    answer["column"], answer["column_seconds"] = best(lambda: sp.uni_coloring())
    if not command.get("symmetric"):
        answer["row"], answer["row_seconds"] = best(lambda: sp.T.uni_coloring())
    else:
        answer["star"], answer["star_seconds"] = best(lambda: sp.star_coloring(1))
        answer["star2"], answer["star2_seconds"] = best(lambda: sp.star_coloring2(1))
    return answer


def resident_memory():
    """(VmRSS, VmHWM) in bytes. Not ru_maxrss: Linux carries it over from the parent across exec."""
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = int(value.split()[0]) * 1024 if value.strip().endswith("kB") else 0
    return fields.get("VmRSS", 0), fields.get("VmHWM", 0)


def memory(problem, size):
    baseline, _ = resident_memory()
    inputs, f, _, _ = build(problem, size)
    _, peak = resident_memory()
    nodes = ca.Function("f", inputs, [f]).n_instructions()
    print(json.dumps({"nodes": nodes, "baseline": baseline, "peak": peak}))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--memory":
        memory(sys.argv[2], int(sys.argv[3]))
        return
    for line in sys.stdin:
        try:
            answer = handle(json.loads(line))
        except Exception as error:  # the harness reports it; the worker keeps serving
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
