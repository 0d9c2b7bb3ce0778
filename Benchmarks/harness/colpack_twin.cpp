// ColPack 1.0.10 (Debian libcolpack-dev) on one pattern file, every vertex order it offers for
// the requested kind of coloring: prints one JSON line per order with the color count, the best
// CPU time of the coloring call (ordering included) over 3 runs, and the coloring itself, so the
// caller checks it with its own checker instead of trusting it.
//
// usage: colpack_twin KIND PATTERN   (KIND: column, row, star, acyclic)
#include <ColPack/ColPackHeaders.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

using namespace ColPack;

static double cpu() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char** argv) {
    if (argc != 3) { std::fprintf(stderr, "usage: colpack_twin KIND PATTERN\n"); return 2; }
    const std::string kind = argv[1];
    std::ifstream in(argv[2]);
    int rows = 0, cols = 0, count = 0;
    if (!(in >> rows >> cols >> count)) { std::fprintf(stderr, "bad header\n"); return 2; }
    std::vector<std::vector<unsigned int>> byRow(rows);
    for (int k = 0, i, j; k < count && in >> i >> j; ++k) byRow[i].push_back(j);
    // ADOL-C's compressed rows: entry 0 of each row is its length.
    std::vector<unsigned int*> pattern(rows);
    for (int i = 0; i < rows; ++i) {
        pattern[i] = new unsigned int[byRow[i].size() + 1];
        pattern[i][0] = byRow[i].size();
        for (size_t k = 0; k < byRow[i].size(); ++k) pattern[i][k + 1] = byRow[i][k];
    }
    std::vector<std::string> orders;
    if (kind == "star" || kind == "acyclic")
        orders = {"NATURAL", "LARGEST_FIRST", "DYNAMIC_LARGEST_FIRST", "SMALLEST_LAST", "INCIDENCE_DEGREE",
                  "DISTANCE_TWO_LARGEST_FIRST", "DISTANCE_TWO_SMALLEST_LAST", "DISTANCE_TWO_INCIDENCE_DEGREE"};
    else
        orders = {"NATURAL", "LARGEST_FIRST", "SMALLEST_LAST", "INCIDENCE_DEGREE"};
    for (const std::string& order : orders) {
        double best = 1e300;
        std::vector<int> colors;
        for (int run = 0; run < 3; ++run) {
            if (kind == "star" || kind == "acyclic") {
                GraphColoringInterface graph(SRC_MEM_ADOLC, pattern.data(), rows);
                double start = cpu();
                graph.Coloring(order, kind == "star" ? "STAR" : "ACYCLIC_FOR_INDIRECT_RECOVERY");
                best = std::min(best, cpu() - start);
                graph.GetVertexColors(colors);
            } else {
                BipartiteGraphPartialColoringInterface graph(SRC_MEM_ADOLC, pattern.data(), rows, cols);
                double start = cpu();
                graph.PartialDistanceTwoColoring(order, kind == "column" ? "COLUMN_PARTIAL_DISTANCE_TWO" : "ROW_PARTIAL_DISTANCE_TWO");
                best = std::min(best, cpu() - start);
                if (kind == "column") graph.GetRightVertexColors(colors); else graph.GetLeftVertexColors(colors);
            }
        }
        int highest = -1;
        for (int c : colors) highest = std::max(highest, c);
        std::printf("{\"order\": \"%s\", \"colors\": %d, \"seconds\": %.9g, \"coloring\": [", order.c_str(), highest + 1, best);
        for (size_t k = 0; k < colors.size(); ++k) std::printf(k ? ", %d" : "%d", colors[k]);
        std::printf("]}\n");
    }
    for (unsigned int* row : pattern) delete[] row;
    return 0;
}
