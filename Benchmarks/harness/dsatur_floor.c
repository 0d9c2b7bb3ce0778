/* Why DSATUR cannot be cheaper than one greedy pass (issue #21): on the generated pattern
 * randsym_n5000_r3_s2 (the same SplitMix64 draws as PatternFamilies.randomSymmetric), a plain
 * greedy partial distance-2 column coloring in natural order (CasADi's and ColPack's fastest
 * order) and DSATUR with DiffGen's tie-breaks and lazy bucket queue, both in C under gcc -O2.
 * Both visit every (column, row, row-sharing column) triple once: DSATUR adds its queue on top.
 *
 *   gcc -O2 -o /tmp/dsatur_floor Benchmarks/harness/dsatur_floor.c && /tmp/dsatur_floor 5000 3 2
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t state;
static uint64_t next_draw(void) {
    state += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Symmetric pattern: column j's rows are row j's columns, so one compressed array serves both. */
static int n, *start, *index_;
static long visits, pushes;

static int greedy(void) {
    int *color = malloc(sizeof(int) * n), *forbidden = malloc(sizeof(int) * (n + 1)), most = 0;
    for (int i = 0; i <= n; ++i) forbidden[i] = -1;
    for (int j = 0; j < n; ++j) {
        for (int k = start[j]; k < start[j + 1]; ++k) {
            int r = index_[k];
            for (int m = start[r]; m < start[r + 1]; ++m) {
                int u = index_[m];
                if (u < j) forbidden[color[u]] = j;
            }
        }
        int c = 0;
        while (forbidden[c] == j) ++c;
        color[j] = c;
        if (c + 1 > most) most = c + 1;
    }
    free(color);
    free(forbidden);
    return most;
}

static int dsatur(int limit) {
    uint64_t *seen = calloc(n, 8);
    int *key = malloc(sizeof(int) * n), longest = 0;
    for (int j = 0; j < n; ++j) {
        key[j] = start[j + 1] - start[j];
        if (key[j] > longest) longest = key[j];
    }
    int lengthKeys = longest + 1, keys = (limit + 1) * lengthKeys, capacity = n * (limit + 1) + 1;
    int *head = malloc(sizeof(int) * keys), *item = malloc(sizeof(int) * capacity), *link = malloc(sizeof(int) * capacity);
    for (int i = 0; i < keys; ++i) head[i] = -1;
    int count = 0, top = keys - 1, colored = 0, most = 0;
    for (int j = n - 1; j >= 0; --j) { item[count] = j; link[count] = head[key[j]]; head[key[j]] = count++; }
    while (colored < n) {
        while (head[top] < 0) --top;
        int e = head[top], j = item[e];
        head[top] = link[e];
        if (key[j] != top) continue;
        int c = __builtin_ctzll(~seen[j]);
        if (c + 1 >= limit) return -1;
        seen[j] = ~0ULL;
        key[j] = -1;
        ++colored;
        if (c + 1 > most) most = c + 1;
        uint64_t bit = 1ULL << c;
        for (int k = start[j]; k < start[j + 1]; ++k) {
            int r = index_[k];
            for (int m = start[r]; m < start[r + 1]; ++m) {
                int u = index_[m];
                ++visits;
                if (seen[u] & bit) continue;
                seen[u] |= bit;
                int grown = key[u] + lengthKeys;
                key[u] = grown;
                item[count] = u; link[count] = head[grown]; head[grown] = count++;
                ++pushes;
                if (grown > top) top = grown;
            }
        }
    }
    free(seen); free(key); free(head); free(item); free(link);
    return most;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: dsatur_floor N PER_ROW SEED\n"); return 2; }
    n = atoi(argv[1]);
    int perRow = atoi(argv[2]);
    state = strtoull(argv[3], NULL, 10);
    int capacity = n + 2 * n * perRow, m = 0;
    int *rows = malloc(sizeof(int) * capacity), *cols = malloc(sizeof(int) * capacity), *length = calloc(n, sizeof(int));
    for (int i = 0; i < n; ++i) { rows[m] = i; cols[m] = i; ++m; }
    for (int i = 0; i < n; ++i)
        for (int t = 0; t < perRow; ++t) {
            int j = (int)(next_draw() % (uint64_t)n);
            if (j != i) { rows[m] = i; cols[m] = j; ++m; rows[m] = j; cols[m] = i; ++m; }
        }
    /* Rows by counting sort, duplicates dropped, columns ascending. */
    int *mark = malloc(sizeof(int) * n), *fill = calloc(n + 1, sizeof(int));
    for (int k = 0; k < m; ++k) ++fill[rows[k] + 1];
    for (int i = 0; i < n; ++i) fill[i + 1] += fill[i];
    int *bucket = malloc(sizeof(int) * m), *cursor = malloc(sizeof(int) * n);
    for (int i = 0; i < n; ++i) { cursor[i] = fill[i]; mark[i] = -1; }
    for (int k = 0; k < m; ++k) bucket[cursor[rows[k]]++] = cols[k];
    start = malloc(sizeof(int) * (n + 1));
    index_ = malloc(sizeof(int) * m);
    int nonzeros = 0;
    long squares = 0;
    for (int i = 0; i < n; ++i) {
        start[i] = nonzeros;
        for (int k = fill[i]; k < fill[i + 1]; ++k)
            if (mark[bucket[k]] != i) { mark[bucket[k]] = i; index_[nonzeros++] = bucket[k]; }
        for (int a = start[i] + 1; a < nonzeros; ++a) {
            int v = index_[a], b = a - 1;
            while (b >= start[i] && index_[b] > v) { index_[b + 1] = index_[b]; --b; }
            index_[b + 1] = v;
        }
        length[i] = nonzeros - start[i];
        squares += (long)length[i] * length[i];
    }
    start[n] = nonzeros;
    int g = greedy(), d = dsatur(64);
    double bestGreedy = 1e9, bestDsatur = 1e9;
    for (int round = 0; round < 50; ++round) {
        double t = cpu(); greedy(); t = cpu() - t; if (t < bestGreedy) bestGreedy = t;
        t = cpu(); dsatur(g); t = cpu() - t; if (t < bestDsatur) bestDsatur = t;
    }
    printf("nonzeros %d, sum of squared row lengths %ld\n", nonzeros, squares);
    printf("greedy (natural order): %d colors, %.0f us (best of 50)\n", g, bestGreedy * 1e6);
    printf("DSATUR: %d colors, %ld visits, %ld queue pushes, %.0f us (best of 50, giving up at %d colors)\n", d, visits / 51, pushes / 51, bestDsatur * 1e6, g);
    printf("DSATUR / greedy: %.2f\n", bestDsatur / bestGreedy);
    return 0;
}
