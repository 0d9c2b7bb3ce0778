/* Times one function with CasADi's external-function ABI, the same way for every system.
   Build: cc -DFN=name harness.c generated.c -lm. Reads the inputs' nonzeros from stdin.
   Prints: median ns per call, then the sum and the sum of |.| of the first call's outputs. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
typedef long long ll;
extern int FN(const double **arg, double **res, ll *iw, double *w, int mem);
extern int XCAT(FN, _work)(ll *sz_arg, ll *sz_res, ll *sz_iw, ll *sz_w);
extern ll XCAT(FN, _n_in)(void);
extern ll XCAT(FN, _n_out)(void);
extern const ll *XCAT(FN, _sparsity_in)(ll i);
extern const ll *XCAT(FN, _sparsity_out)(ll i);

static ll nonzeros(const ll *p) {
    if (p[2] == 1) return p[0] * p[1]; /* CasADi's compact dense form */
    return p[2 + p[1]];
}

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
    ll n_in = XCAT(FN, _n_in)(), n_out = XCAT(FN, _n_out)(), sz_arg, sz_res, sz_iw, sz_w, k;
    XCAT(FN, _work)(&sz_arg, &sz_res, &sz_iw, &sz_w);
    const double **arg = calloc((size_t)(sz_arg > n_in ? sz_arg : n_in) + 1, sizeof *arg);
    double **res = calloc((size_t)(sz_res > n_out ? sz_res : n_out) + 1, sizeof *res);
    ll *iw = calloc((size_t)sz_iw + 1, sizeof *iw);
    double *w = calloc((size_t)sz_w + 1, sizeof *w);
    ll total_in = 0, total_out = 0;
    for (k = 0; k < n_in; ++k) total_in += nonzeros(XCAT(FN, _sparsity_in)(k));
    for (k = 0; k < n_out; ++k) total_out += nonzeros(XCAT(FN, _sparsity_out)(k));
    double *in = calloc((size_t)total_in + 1, sizeof *in), *base = calloc((size_t)total_in + 1, sizeof *base);
    double *out = calloc((size_t)total_out + 1, sizeof *out);
    for (k = 0; k < total_in; ++k)
        if (scanf("%lf", &base[k]) != 1) return 2;
    ll offset = 0;
    for (k = 0; k < n_in; ++k) { arg[k] = in + offset; offset += nonzeros(XCAT(FN, _sparsity_in)(k)); }
    offset = 0;
    for (k = 0; k < n_out; ++k) { res[k] = out + offset; offset += nonzeros(XCAT(FN, _sparsity_out)(k)); }
    for (k = 0; k < total_in; ++k) in[k] = base[k];
    FN(arg, res, iw, w, 0);
    double sum = 0, sum_abs = 0;
    for (k = 0; k < total_out; ++k) { sum += out[k]; sum_abs += out[k] < 0 ? -out[k] : out[k]; }
    /* Timed: the input changes every call, so no work can be hoisted out of the loop. */
    double samples[7], sink = 0;
    int rep;
    for (rep = 0; rep < 7; ++rep) {
        long calls = 0;
        double start = cpu_seconds(), elapsed;
        do {
            for (k = 0; k < 16; ++k, ++calls) {
                ll i = calls % (total_in > 0 ? total_in : 1);
                if (total_in > 0) in[i] = base[i] + 1e-9 * (double)(calls & 7);
                FN(arg, res, iw, w, 0);
                sink += out[calls % (total_out > 0 ? total_out : 1)];
            }
            elapsed = cpu_seconds() - start;
        } while (elapsed < 0.02);
        samples[rep] = elapsed / (double)calls * 1e9;
    }
    qsort(samples, 7, sizeof samples[0], compare);
    printf("%.6g %.17g %.17g %.17g\n", samples[3], sum, sum_abs, sink);
    return 0;
}
