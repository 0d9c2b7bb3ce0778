// CasADi's anchors for the repeated-structure benchmarks (diffgen-bench repeat): the same
// Hessian or gradient built flat in SX (evaluated by its virtual machine) and with map/mapaccum
// in MX (evaluated by its virtual machine and as generated C built with gcc -O2), timed here in
// C++ so no Python conversion enters the figures. Prints one JSON object.
//   casadi_repeat rosenbrock N ROUNDS WORKDIR
//   casadi_repeat chain STEPS ROUNDS WORKDIR
//   casadi_repeat calls INTERVALS ROUNDS WORKDIR   (cart-pole shooting, MX calling an SX RK4 step)
//   casadi_repeat rollout HORIZON ROUNDS WORKDIR   (cart-pole rollout: ∂x_N/∂u, flat SX and mapaccum)
#include <casadi/casadi.hpp>
#include <dlfcn.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

using namespace casadi;

static double cpu() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

typedef int (*Entry)(const double**, double**, long long*, double*, int);

// Median seconds per call over `rounds` rounds of `calls` calls; `sum` receives the outputs' sum.
template <class Call>
static double timeCalls(Call call, int rounds, int calls) {
    std::vector<double> samples;
    for (int r = 0; r < rounds; ++r) {
        double start = cpu();
        for (int c = 0; c < calls; ++c) call();
        samples.push_back((cpu() - start) / calls);
    }
    return median(samples);
}

struct Timed { double build, call, checksum; };

// `call` timed, with the sum of what it wrote into `out` as the checksum.
template <class Call>
static Timed measured(double build, Call call, const std::vector<double>& out, int rounds, int calls) {
    double t = timeCalls(call, rounds, calls);
    double sum = 0;
    for (double v : out) sum += v;
    return {build, t, sum};
}

// The function's virtual machine on raw pointers (one vector per input).
static Timed vm(const Function& f, double build, const std::vector<std::vector<double>>& xs, int rounds, int calls) {
    std::vector<double> out(f.nnz_out(0));
    std::vector<casadi_int> iw(f.sz_iw());
    std::vector<double> w(f.sz_w());
    // MX functions use the argument and result arrays beyond their ports as scratch.
    std::vector<const double*> arg(f.sz_arg(), nullptr);
    std::vector<double*> res(f.sz_res(), nullptr);
    for (size_t k = 0; k < xs.size(); ++k) arg[k] = xs[k].data();
    res[0] = out.data();
    return measured(build, [&] { f(arg.data(), res.data(), iw.data(), w.data(), 0); }, out, rounds, calls);
}

// CasADi's generated C of `f`, built with gcc -O2 into a shared library and called (the build
// time counts this thread's generation, not gcc's own process).
static Timed generated(const Function& f, const std::string& dir, int rounds, int calls, const std::vector<std::vector<double>>& xs) {
    std::string name = f.name();
    std::string c = dir + "/" + name + ".c", so = dir + "/lib" + name + ".so";
    double start = cpu();
    f.generate(name + ".c");
    std::rename((name + ".c").c_str(), c.c_str());
    std::string command = "gcc -O2 -fPIC -shared -o " + so + " " + c + " -lm";
    if (std::system(command.c_str()) != 0) { std::fprintf(stderr, "gcc failed\n"); std::exit(1); }
    double build = cpu() - start;
    void* library = dlopen(so.c_str(), RTLD_NOW);
    Entry entry = library ? (Entry)dlsym(library, name.c_str()) : nullptr;
    typedef int (*Work)(long long*, long long*, long long*, long long*);
    Work work = library ? (Work)dlsym(library, (name + "_work").c_str()) : nullptr;
    if (!entry || !work) { std::fprintf(stderr, "cannot load %s\n", so.c_str()); std::exit(1); }
    long long sz_arg, sz_res, sz_iw, sz_w;
    work(&sz_arg, &sz_res, &sz_iw, &sz_w);
    std::vector<long long> iw(sz_iw + 1);
    std::vector<double> w(sz_w + 1), out(f.nnz_out(0));
    std::vector<const double*> arg(sz_arg + 1, nullptr);
    std::vector<double*> res(sz_res + 1, nullptr);
    for (size_t k = 0; k < xs.size(); ++k) arg[k] = xs[k].data();
    res[0] = out.data();
    return measured(build, [&] { entry(arg.data(), res.data(), iw.data(), w.data(), 0); }, out, rounds, calls);
}

// Cart-pole dynamics and one RK4 step (dt = 0.05), as in shared/bench/PROBLEMS.md.
static std::vector<SX> cartpoleODE(const std::vector<SX>& x, const SX& u) {
    double bigM = 1.0, m = 0.1, l = 0.5, g = 9.81;
    SX s = sin(x[1]), c = cos(x[1]);
    SX thetaDDot = (g * s - c * ((u + m * l * sq(x[3]) * s) / (bigM + m))) / (l * (4.0 / 3.0 - m * sq(c) / (bigM + m)));
    SX pDDot = (u + m * l * (sq(x[3]) * s - thetaDDot * c)) / (bigM + m);
    return {x[2], x[3], pDDot, thetaDDot};
}

static Function cartpoleStep() {
    SX xu = SX::sym("xu", 5);
    std::vector<SX> x = {xu(0), xu(1), xu(2), xu(3)};
    double dt = 0.05;
    auto axpy = [&](double a, const std::vector<SX>& k) { std::vector<SX> r; for (int i = 0; i < 4; ++i) r.push_back(x[i] + a * k[i]); return r; };
    auto k1 = cartpoleODE(x, xu(4)), k2 = cartpoleODE(axpy(dt / 2, k1), xu(4));
    auto k3 = cartpoleODE(axpy(dt / 2, k2), xu(4)), k4 = cartpoleODE(axpy(dt, k3), xu(4));
    std::vector<SX> next;
    for (int i = 0; i < 4; ++i) next.push_back(x[i] + dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
    return Function("cartpole_step", {xu}, {vertcat(next)});
}

static void print(const char* key, const Timed& t, bool last = false) {
    std::printf("\"%s\": {\"build\": %.9g, \"call\": %.9g, \"checksum\": %.17g}%s", key, t.build, t.call, t.checksum, last ? "" : ", ");
}

// An MX function timed by its virtual machine and as generated C, printed as VM_KEY and C_KEY;
// `build` is the time its graph took, added to the C's generation time.
static void printMX(const char* vmKey, const char* cKey, const Function& f, double build, const std::vector<std::vector<double>>& xs,
                    const std::string& dir, int rounds, int calls, bool last) {
    print(vmKey, vm(f, build, xs, rounds, calls));
    Timed c = generated(f, dir, rounds, calls, xs);
    c.build += build;
    print(cKey, c, last);
}

int main(int argc, char** argv) {
    if (argc != 5) { std::fprintf(stderr, "usage: casadi_repeat rosenbrock|chain|calls|rollout N ROUNDS WORKDIR\n"); return 2; }
    std::string problem = argv[1];
    int n = std::atoi(argv[2]), rounds = std::atoi(argv[3]);
    std::string dir = argv[4];
    std::vector<double> x;
    std::printf("{");
    if (problem == "rosenbrock") {
        for (int k = 0; k < n; ++k) x.push_back(0.5 * std::sin(1 + 0.7 * k) + 0.1);
        int calls = std::max(1, 2000000 / n);
        // Flat SX: the sum written out, its Hessian, the Function.
        double start = cpu();
        SX xs = SX::sym("x", n);
        SX head = xs(Slice(0, n - 1)), tail = xs(Slice(1, n));
        SX f = sum1(100 * sq(tail - sq(head)) + sq(1 - head));
        Function hsx("hess_sx", {xs}, {hessian(f, xs)});
        print("sx_vm", vm(hsx, cpu() - start, {x}, rounds, calls));
        // MX with map: one term's function mapped over the n − 1 windows.
        start = cpu();
        SX a = SX::sym("a"), b = SX::sym("b");
        Function term("term", {a, b}, {100 * sq(b - sq(a)) + sq(1 - a)});
        Function terms = term.map(n - 1, "serial");
        MX xm = MX::sym("x", n);
        MX fm = sum2(terms(std::vector<MX>{xm(Slice(0, n - 1)).T(), xm(Slice(1, n)).T()})[0]);
        Function hmx("hess_mx", {xm}, {hessian(fm, xm)});
        printMX("mx_vm", "mx_c", hmx, cpu() - start, {x}, dir, rounds, calls, true);
    } else if (problem == "chain") {
        for (int k = 0; k < 2; ++k) x.push_back(0.5 * std::sin(1 + 0.7 * k) + 0.1);
        int calls = std::max(1, 2000000 / n);
        double start = cpu();
        SX z = SX::sym("z", 2);
        SX v = z(0);
        for (int k = 0; k < n; ++k) v = sin(v) * v + (0.1 * v) * z(1);
        Function gsx("grad_sx", {z}, {gradient(v, z)});
        print("sx_vm", vm(gsx, cpu() - start, {x}, rounds, calls));
        // MX with mapaccum: one step's function folded n times.
        start = cpu();
        SX s = SX::sym("s"), p = SX::sym("p");
        Function step("step", {s, p}, {sin(s) * s + (0.1 * s) * p});
        Function steps = step.mapaccum("steps", n);
        MX zm = MX::sym("z", 2);
        MX last = steps(std::vector<MX>{zm(0), repmat(zm(1), 1, n)})[0](n - 1);
        Function gmx("grad_mx", {zm}, {gradient(last, zm)});
        printMX("mx_vm", "mx_c", gmx, cpu() - start, {x}, dir, rounds, calls, true);
    } else if (problem == "rollout") {
        std::vector<double> x0 = {0.1, 0.4, -0.2, 0.3}, u;
        for (int k = 0; k < n; ++k) u.push_back(0.5 * std::sin(0.7 * k));
        int calls = std::max(1, 200000 / n);
        double start = cpu();
        Function step = cartpoleStep();
        SX xs = SX::sym("x", 4), us = SX::sym("u");
        Function stepXU("step_xu", {xs, us}, {step(std::vector<SX>{vertcat(xs, us)})[0]});
        SX x0s = SX::sym("x0", 4), useq = SX::sym("u", n);
        SX x = x0s;
        for (int k = 0; k < n; ++k) x = stepXU(std::vector<SX>{x, useq(k)})[0];
        Function jsx("roll_jac_sx", {x0s, useq}, {jacobian(x, useq)});
        print("sx_vm", vm(jsx, cpu() - start, {x0, u}, rounds, calls));
        start = cpu();
        Function roll = stepXU.mapaccum("roll", n);
        MX x0m = MX::sym("x0", 4), um = MX::sym("u", n);
        MX states = roll(std::vector<MX>{x0m, um.T()})[0];
        Function jmx("roll_jac_mx", {x0m, um}, {jacobian(states(Slice(), n - 1), um)});
        printMX("mx_vm", "mx_c", jmx, cpu() - start, {x0, u}, dir, rounds, calls, true);
    } else if (problem == "calls") {
        // The shooting gaps' Jacobian and the Lagrangian's Hessian in MX, the step called once per
        // interval (not expanded), evaluated by MX's virtual machine and as generated C.
        std::vector<double> w, lambda;
        for (int k = 0; k < 5 * n + 4; ++k) w.push_back(0.3 * std::sin(1.3 * k));
        for (int k = 0; k < 4 * n; ++k) lambda.push_back(0.7 * std::cos(0.9 * k));
        int calls = std::max(1, 20000 / n);
        double start = cpu();
        Function step = cartpoleStep();
        MX wm = MX::sym("w", 5 * n + 4), lm = MX::sym("lambda", 4 * n);
        std::vector<MX> gaps;
        MX objective = 0;
        double q[4] = {1.0, 10, 0.1, 0.1}, r = 0.01;
        for (int k = 0; k <= n; ++k) {
            for (int i = 0; i < 4; ++i) objective += q[i] * sq(MX(wm(5 * k + i)));
            if (k == n) break;
            objective += r * sq(MX(wm(5 * k + 4)));
            gaps.push_back(wm(Slice(5 * k + 5, 5 * k + 9)) - step(std::vector<MX>{wm(Slice(5 * k, 5 * k + 5))})[0]);
        }
        MX g = vertcat(gaps);
        Function jac("calls_jac_mx", {wm}, {jacobian(g, wm)});
        double jacBuild = cpu() - start;
        start = cpu();
        Function hess("calls_hess_mx", {wm, lm}, {hessian(objective + dot(lm, g), wm)});
        double hessBuild = cpu() - start;
        printMX("mx_vm_jac", "mx_c_jac", jac, jacBuild, {w}, dir, rounds, calls, false);
        printMX("mx_vm_hess", "mx_c_hess", hess, hessBuild, {w, lambda}, dir, rounds, calls, true);
    }
    std::printf("}\n");
    return 0;
}
