import DiffGen
import DiffGenTestSupport
import Foundation
import Testing

/// The reference patterns the tests need, copied from the project's shared bench set into this
/// target's resources, so a bare clone of the repository tests alone.
private let patternsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Patterns")

/// Reads a reference pattern (first line `rows cols nnz`, then `i j` per nonzero, 0-based) with
/// the library's own parser, which checks the count.
func referencePattern(_ name: String) throws -> Pattern {
    try Pattern(coordinateText: try String(contentsOf: patternsDirectory.appendingPathComponent(name + ".txt"), encoding: .utf8))
}

/// (pattern, column colors at most, row colors at most): the lower bound where it is attained,
/// else CasADi's count (shared/bench/coloring/RESULTS.md) — never more colors than CasADi.
let jacobianCases: [(String, Int, Int)] = [
    ("band_n1000_b1", 3, 3), ("band_n10000_b2", 5, 5), ("band_n5000_b5", 11, 11), ("band_n5000_b10", 21, 21),
    ("band_n5000_l0_u4", 5, 5), ("band_n5000_l1_u3", 5, 5), ("blockdiag_n5000_b5", 5, 5), ("blockdiag_n2000_b10", 10, 10),
    ("lap2d_k10", 5, 5), ("lap2d_k50", 5, 5), ("lap3d_k10", 11, 11), ("lap3d_k20", 11, 11),
    ("rand_jac_m2000_n1000_r5_s1", 18, 24), ("rand_jac_m5000_n5000_r3_s2", 7, 11),
    ("mpc_jac_N20", 7, 6), ("mpc_jac_N200", 7, 6),
]

@Test(arguments: jacobianCases.map(\.0))
func columnAndRowColoringsAreValidAndNoWorseThanCasADi(_ name: String) throws {
    let pattern = try referencePattern(name)
    let (_, columnBound, rowBound) = jacobianCases.first { $0.0 == name }!
    let columns = pattern.columnColoring()
    let rows = pattern.rowColoring()
    #expect(ColoringCheck.isStructurallyOrthogonal(pattern, columns: columns), "\(name): column coloring not orthogonal")
    #expect(ColoringCheck.isStructurallyOrthogonal(pattern.transposed(), columns: rows), "\(name): row coloring not orthogonal")
    #expect(columns.count <= columnBound, "\(name): \(columns.count) column colors, bound \(columnBound)")
    #expect(rows.count <= rowBound, "\(name): \(rows.count) row colors, bound \(rowBound)")
}

/// (pattern, star colors at most): optimum where known and reached, else CasADi's best; the 3-D
/// Laplacians' 7 (CasADi 11, optimum 6) come from the bipartite construction.
let hessianCases: [(String, Int)] = [
    ("band_n1000_b1", 3), ("band_n10000_b2", 5), ("band_n5000_b5", 11), ("blockdiag_n5000_b5", 5),
    ("lap2d_k10", 5), ("lap2d_k50", 5), ("lap3d_k10", 7), ("lap3d_k20", 7), ("arrowhead_n1000", 2), ("mpc_hess_N200", 3),
    ("hess_extrosen_n10000", 2), ("hess_chainrosen_n10000", 3), ("hess_broydenbanded_n2000", 13),
]

@Test(arguments: hessianCases.map(\.0))
func starColoringsAreStarAndNoWorseThanCasADi(_ name: String) throws {
    let pattern = try referencePattern(name)
    let bound = hessianCases.first { $0.0 == name }!.1
    let coloring = pattern.starColoring()
    #expect(ColoringCheck.isStar(pattern, coloring), "\(name): not a star coloring")
    #expect(coloring.count <= bound, "\(name): \(coloring.count) star colors, bound \(bound)")
}

@Test func checkersRejectBadColorings() throws {
    let band = try referencePattern("band_n1000_b1")
    // Two colors on a tridiagonal pattern: columns j and j+2 share row j+1.
    let twoColors = Coloring(band.columnColoring().colors.indices.map { Int32($0 % 2) })
    #expect(!ColoringCheck.isStructurallyOrthogonal(band, columns: twoColors))
    // On a path, alternating two colors bicolors every P4; j mod 3 gives each P4 three colors.
    #expect(!ColoringCheck.isStar(band, twoColors))
    #expect(ColoringCheck.isStar(band, Coloring(band.columnColoring().colors.indices.map { Int32($0 % 3) })))
}

@Test func closedFormOptimaAreAcceptedByTheCheckers() throws {
    // 2-D 5-point Laplacian, natural numbering i = x·k + y: (x + 2y) mod 5 is a star coloring
    // and a distance-2 column coloring (RESULTS.md oracle).
    let k = 10
    let lap = try referencePattern("lap2d_k10")
    let oracle = Coloring((0..<(k * k)).map { i in Int32((i / k + 2 * (i % k)) % 5) })
    #expect(ColoringCheck.isStar(lap, oracle))
    #expect(ColoringCheck.isStructurallyOrthogonal(lap, columns: oracle))
}

@Test func patternBasics() {
    let p = Pattern(rows: 3, cols: 2, entries: [(2, 0), (0, 0), (1, 1), (0, 0)])
    #expect(p.nonzeroCount == 3)
    #expect(p.columnStarts == [0, 2, 3] && p.rowIndices == [0, 2, 1])
    #expect(p.index(row: 2, col: 0) == 1 && p.index(row: 1, col: 0) == nil)
    #expect(p.transposed().transposed() == p)
    #expect(p.casadiArray == [3, 2, 0, 2, 3, 0, 2, 1])
    #expect(p.spy == "*.\n.*\n*.")
    #expect(p.union(Pattern(rows: 3, cols: 2, entries: [(1, 0)])).nonzeroCount == 4)
}

/// Bicoloring beats both one-sided colorings where rows and columns are dense: at most 4 sweeps
/// on the arrowhead and the arrowhead Hessian (one-sided: 1000 and 5000), every nonzero
/// recoverable (checked entry by entry).
@Test(arguments: ["arrowhead_n1000", "hess_arwhead_n5000"])
func bicoloringNeedsFewSweepsOnArrowheads(_ name: String) throws {
    let pattern = try referencePattern(name)
    let coloring = try #require(pattern.bicoloring(), "\(name): no bicoloring found")
    #expect(coloring.sweeps <= 4, "\(name): \(coloring.sweeps) sweeps")
    #expect(ColoringCheck.isValidBicoloring(pattern, coloring))
    // A column-colored pattern without dense rows gains nothing from bicoloring.
    #expect(try referencePattern("band_n5000_b5").bicoloring() == nil)
}

/// Acyclic colorings: b + 1 colors on a band of half-bandwidth b (star needs 2b + 1), never more
/// than the star coloring, and acyclic by the slow checker.
@Test(arguments: [("band_n1000_b1", 2), ("band_n10000_b2", 3), ("band_n5000_b5", 6), ("lap2d_k10", 4), ("lap2d_k50", 4), ("lap3d_k10", 6), ("lap3d_k20", 6),
                  ("hess_chainrosen_n10000", 2), ("arrowhead_n1000", 2), ("hess_broydenbanded_n2000", 7), ("mpc_hess_N200", 3)])
func acyclicColoringsReachTheBandOptimum(_ name: String, _ bound: Int) throws {
    let pattern = try referencePattern(name)
    let coloring = pattern.acyclicColoring()
    #expect(coloring.count <= bound, "\(name): \(coloring.count) colors, bound \(bound)")
    #expect(coloring.count <= pattern.starColoring().count)
    #expect(ColoringCheck.isAcyclic(pattern, coloring), "\(name): not acyclic")
}

/// The acyclicity checkers reject a two-colored cycle; the bicoloring checker a collision.
@Test func acyclicAndBicoloringCheckersRejectBadColorings() throws {
    // A 4-cycle 0–1–2–3–0 colored 0,1,0,1 has a two-colored cycle.
    let cycle = Pattern(rows: 4, cols: 4, entries: [(0, 1), (1, 0), (1, 2), (2, 1), (2, 3), (3, 2), (3, 0), (0, 3)])
    #expect(!ColoringCheck.isAcyclic(cycle, Coloring([0, 1, 0, 1])))
    #expect(ColoringCheck.isAcyclic(cycle, Coloring([0, 1, 0, 2])))
    let dense = Pattern.dense(rows: 2, cols: 2)
    let collision = Bicoloring(columnColors: [0, 0], rowColors: [-1, -1], fromReverse: [false, false, false, false])
    #expect(!ColoringCheck.isValidBicoloring(dense, collision))
}

/// The reference patterns' text form is read with line and column errors for bad input.
@Test func patternTextErrorsNameTheLine() throws {
    #expect(try Pattern(coordinateText: "2 3 2\n0 1\n1 2\n").nonzeroCount == 2)
    #expect(throws: PatternTextError(line: 3, column: 3, reason: "expected a non-negative integer")) {
        try Pattern(coordinateText: "2 3 2\n0 1\n1 x\n")
    }
    #expect(throws: PatternTextError(line: 2, column: 1, reason: "row 5 outside 0..<2")) {
        try Pattern(coordinateText: "2 3 1\n5 1\n")
    }
    #expect(throws: PatternTextError(line: 1, column: 1, reason: "no `rows cols nnz` header")) {
        try Pattern(coordinateText: "")
    }
}

/// More than 64 colors (beyond the row bit masks) without a row holding every column: the
/// unbounded greedy pass colors it, orthogonal and at the lower bound.
@Test func columnColoringBeyondSixtyFourColors() throws {
    var entries = (0..<70).map { (row: 0, col: $0) }
    for j in 0..<100 { entries.append((row: 1 + j, col: j)) }
    let pattern = Pattern(rows: 101, cols: 100, entries: entries)
    let coloring = pattern.columnColoring()
    #expect(ColoringCheck.isStructurallyOrthogonal(pattern, columns: coloring))
    #expect(coloring.count == 70)
}
