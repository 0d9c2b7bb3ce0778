import DiffGen

/// Seeded sparsity patterns beyond the shared reference set, for coloring tests and benchmarks:
/// every family the coloring issue names, each deterministic in its parameters and seed.
public enum PatternFamilies {
    /// A named pattern and whether it is symmetric (Hessian-like) or general (Jacobian-like).
    public struct Case: Sendable {
        public let name: String
        public let pattern: Pattern
        public let symmetric: Bool
    }

    /// Symmetric: the diagonal and `perRow` random off-diagonal entries per row, mirrored.
    public static func randomSymmetric(n: Int, perRow: Int, seed: UInt64) -> Pattern {
        var random = SplitMix(seed: seed)
        var entries = (0..<n).map { (row: $0, col: $0) }
        for i in 0..<n {
            for _ in 0..<perRow {
                let j = Int(random.next() % UInt64(n))
                if j != i { entries += [(i, j), (j, i)] }
            }
        }
        return Pattern(rows: n, cols: n, entries: entries)
    }

    /// General m×n: `perRow` random columns in each row.
    public static func randomGeneral(m: Int, n: Int, perRow: Int, seed: UInt64) -> Pattern {
        var random = SplitMix(seed: seed)
        let entries = (0..<m).flatMap { i in (0..<perRow).map { _ in (row: i, col: Int(random.next() % UInt64(n))) } }
        return Pattern(rows: m, cols: n, entries: entries)
    }

    /// Symmetric with power-law degrees: vertex i has weight (i + 1)^(−1/2), and `edges` edges
    /// join endpoints drawn by weight (a few hubs, many leaves).
    public static func powerLaw(n: Int, edges: Int, seed: UInt64) -> Pattern {
        var random = SplitMix(seed: seed)
        var cumulative: [Double] = [], total = 0.0
        for i in 0..<n { total += 1 / Double(i + 1).squareRoot(); cumulative.append(total) }
        func draw() -> Int {
            let u = random.uniform(0, total)
            var (low, high) = (0, n - 1)
            while low < high { let mid = (low + high) / 2; if cumulative[mid] < u { low = mid + 1 } else { high = mid } }
            return low
        }
        var entries = (0..<n).map { (row: $0, col: $0) }
        for _ in 0..<edges {
            let (i, j) = (draw(), draw())
            if i != j { entries += [(i, j), (j, i)] }
        }
        return Pattern(rows: n, cols: n, entries: entries)
    }

    /// Symmetric band of half-bandwidth b plus `extra` random mirrored entries.
    public static func bandedPlusRandom(n: Int, halfBandwidth b: Int, extra: Int, seed: UInt64) -> Pattern {
        var random = SplitMix(seed: seed)
        var entries: [(row: Int, col: Int)] = []
        for i in 0..<n { for j in max(0, i - b)...min(n - 1, i + b) { entries.append((i, j)) } }
        for _ in 0..<extra {
            let (i, j) = (Int(random.next() % UInt64(n)), Int(random.next() % UInt64(n)))
            entries += [(i, j), (j, i)]
        }
        return Pattern(rows: n, cols: n, entries: entries)
    }

    /// The k×k grid (dims 2) or k×k×k grid (dims 3), every point coupled to all points within one
    /// step in each coordinate: the 9-point and 27-point stencils.
    public static func boxStencil(k: Int, dims: Int) -> Pattern {
        precondition(dims == 2 || dims == 3, "2-D or 3-D")
        let n = dims == 2 ? k * k : k * k * k
        func coordinates(_ i: Int) -> [Int] { dims == 2 ? [i / k, i % k] : [i / (k * k), (i / k) % k, i % k] }
        func index(_ c: [Int]) -> Int { c.reduce(0) { $0 * k + $1 } }
        var entries: [(row: Int, col: Int)] = []
        let offsets = dims == 2 ? [-1, 0, 1].flatMap { a in [-1, 0, 1].map { [a, $0] } }
            : [-1, 0, 1].flatMap { a in [-1, 0, 1].flatMap { b in [-1, 0, 1].map { [a, b, $0] } } }
        for i in 0..<n {
            let c = coordinates(i)
            for d in offsets {
                let neighbour = zip(c, d).map { $0 + $1 }
                if neighbour.allSatisfy({ (0..<k).contains($0) }) { entries.append((i, index(neighbour))) }
            }
        }
        return Pattern(rows: n, cols: n, entries: entries)
    }

    /// Symmetric arrowhead: the diagonal, and `dense` full rows and columns (the first ones).
    public static func arrowhead(n: Int, dense: Int) -> Pattern {
        var entries = (0..<n).map { (row: $0, col: $0) }
        for d in 0..<dense { for j in 0..<n { entries += [(d, j), (j, d)] } }
        return Pattern(rows: n, cols: n, entries: entries)
    }

    /// The generated families: `.bench` sizes (thousands to tens of thousands of vertices) or
    /// `.test` sizes (a fifth to a half of that, for the slow checkers of debug-built tests).
    public enum Size: Sendable { case test, bench }

    public static func all(_ size: Size = .bench) -> [Case] {
        let big = size == .bench
        func n(_ bench: Int, _ test: Int) -> Int { big ? bench : test }
        return [
            Case(name: "randsym_n\(n(2000, 1000))_r2_s1", pattern: randomSymmetric(n: n(2000, 1000), perRow: 2, seed: 1), symmetric: true),
            Case(name: "randsym_n\(n(5000, 2000))_r3_s2", pattern: randomSymmetric(n: n(5000, 2000), perRow: 3, seed: 2), symmetric: true),
            Case(name: "randsym_n\(n(20000, 3000))_r2_s3", pattern: randomSymmetric(n: n(20000, 3000), perRow: 2, seed: 3), symmetric: true),
            Case(name: "powerlaw_n\(n(5000, 1500))_s4", pattern: powerLaw(n: n(5000, 1500), edges: 3 * n(5000, 1500), seed: 4), symmetric: true),
            Case(name: "bandrand_n\(n(5000, 2000))_b3_s5", pattern: bandedPlusRandom(n: n(5000, 2000), halfBandwidth: 3, extra: n(2000, 800), seed: 5), symmetric: true),
            Case(name: "grid2d9_k\(n(100, 30))", pattern: boxStencil(k: n(100, 30), dims: 2), symmetric: true),
            Case(name: "grid3d27_k\(n(20, 8))", pattern: boxStencil(k: n(20, 8), dims: 3), symmetric: true),
            Case(name: "arrow_n\(n(5000, 1000))_d3", pattern: arrowhead(n: n(5000, 1000), dense: 3), symmetric: true),
            Case(name: "randjac_m\(n(3000, 1500))_n\(n(2000, 1000))_r4_s6", pattern: randomGeneral(m: n(3000, 1500), n: n(2000, 1000), perRow: 4, seed: 6), symmetric: false),
            Case(name: "randjac_m\(n(10000, 2000))_n\(n(10000, 2000))_r2_s7", pattern: randomGeneral(m: n(10000, 2000), n: n(10000, 2000), perRow: 2, seed: 7), symmetric: false),
        ]
    }
}
