/* Thread CPU time for libtcc to compile a C file in memory and relocate it (CasADi's fastest
   path to a callable), median of 5. Build: cc harness_libtcc.c -ltcc -ldl -lm -lpthread */
#include <libtcc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    FILE *file = fopen(argv[1], "rb");
    if (!file) return 2;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *source = malloc((size_t)size + 1);
    if (fread(source, 1, (size_t)size, file) != (size_t)size) return 2;
    source[size] = 0;
    fclose(file);
    double samples[5];
    for (int rep = 0; rep < 5; ++rep) {
        double start = cpu_seconds();
        TCCState *s = tcc_new();
        tcc_set_lib_path(s, "/usr/lib/x86_64-linux-gnu/tcc");
        tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
        if (tcc_compile_string(s, source) != 0) return 3;
        if (tcc_relocate(s, TCC_RELOCATE_AUTO) < 0) return 4;
        if (!tcc_get_symbol(s, argv[2])) return 5;
        samples[rep] = cpu_seconds() - start;
        tcc_delete(s);
    }
    qsort(samples, 5, sizeof samples[0], compare);
    printf("%.6g\n", samples[2]);
    return 0;
}
