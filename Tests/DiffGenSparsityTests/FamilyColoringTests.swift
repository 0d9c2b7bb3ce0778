import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

// Colorings of the generated pattern families (random symmetric and general, power-law, banded
// plus random, 9- and 27-point stencils, arrowheads with several dense rows): valid by the slow
// checkers and never more colors than CasADi's colorings of the same patterns, computed here by
// CasADi itself.

private let client = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Clients/casadi_colorings.py").path

@Test func generatedFamiliesColorValidlyAndNoWorseThanCasADi() throws {
    let directory = try CToolchain.temporaryDirectory("families")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let cases = PatternFamilies.all(.test)
    for family in cases { try family.pattern.coordinateText.write(toFile: "\(directory)/\(family.name).txt", atomically: true, encoding: .utf8) }
    let run = try CToolchain.run(["python3", client] + cases.map { "\(directory)/\($0.name).txt" })
    try #require(run.succeeded, "python3 with casadi failed (make test installs casadi): \(run.errors)")
    let casadi = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: [String: Int]])
    for family in cases {
        let theirs = try #require(casadi["\(directory)/\(family.name).txt"])
        let pattern = family.pattern
        let columns = pattern.columnColoring(), rows = pattern.rowColoring()
        #expect(ColoringCheck.isStructurallyOrthogonal(pattern, columns: columns), "\(family.name)")
        #expect(ColoringCheck.isStructurallyOrthogonal(pattern.transposed(), columns: rows), "\(family.name)")
        #expect(columns.count <= theirs["column"]! && rows.count <= theirs["row"]!,
                "\(family.name): columns \(columns.count) (CasADi \(theirs["column"]!)), rows \(rows.count) (CasADi \(theirs["row"]!))")
        guard family.symmetric else { continue }
        let star = pattern.starColoring(), acyclic = pattern.acyclicColoring(star: star)
        #expect(ColoringCheck.isStar(pattern, star), "\(family.name): not star")
        #expect(ColoringCheck.isAcyclic(pattern, acyclic), "\(family.name): not acyclic")
        let casadiStar = min(theirs["star"]!, theirs["star2"]!)
        #expect(star.count <= casadiStar, "\(family.name): star \(star.count), CasADi \(theirs["star"]!)/\(theirs["star2"]!)")
        #expect(acyclic.count <= star.count)
        print("family \(family.name): column \(columns.count)/\(theirs["column"]!) row \(rows.count)/\(theirs["row"]!) star \(star.count)/\(theirs["star"]!)/\(theirs["star2"]!) acyclic \(acyclic.count)")
    }
}

/// Each effort gives a valid coloring, and more effort never more colors: `.best` ≤ `.balanced`
/// ≤ `.fast`, for star and acyclic colorings of every generated symmetric family.
@Test func moreEffortNeverMoreColors() throws {
    for family in PatternFamilies.all(.test) where family.symmetric && family.pattern.cols <= 2000 {
        let pattern = family.pattern
        let stars = ColoringEffort.allCases.map { pattern.starColoring(effort: $0) }
        let acyclic = ColoringEffort.allCases.map { pattern.acyclicColoring(effort: $0) }
        for (effort, coloring) in zip(ColoringEffort.allCases, stars) { #expect(ColoringCheck.isStar(pattern, coloring), "\(family.name) \(effort)") }
        for (effort, coloring) in zip(ColoringEffort.allCases, acyclic) { #expect(ColoringCheck.isAcyclic(pattern, coloring), "\(family.name) \(effort)") }
        #expect(stars[2].count <= stars[1].count && stars[1].count <= stars[0].count, "\(family.name): star \(stars.map(\.count))")
        #expect(acyclic[2].count <= acyclic[1].count && acyclic[1].count <= acyclic[0].count, "\(family.name): acyclic \(acyclic.map(\.count))")
    }
}

/// The acyclic greedy coloring is acyclic in every vertex order on every family (the slow
/// checker searches each two-colored subgraph for a cycle), and reaches the closed-form optima'
/// neighbourhood on the Laplacians: 2-D ≤ 4 (ColPack 4, optimum 3), 3-D ≤ 6 (optimum 4).
@Test func acyclicColoringIsAcyclicInEveryOrder() throws {
    for family in PatternFamilies.all(.test) where family.symmetric && family.pattern.cols <= 2000 {
        for effort in ColoringEffort.allCases {
            let coloring = family.pattern.acyclicColoring(effort: effort)
            #expect(ColoringCheck.isAcyclic(family.pattern, coloring), "\(family.name) \(effort)")
        }
    }
    #expect(try referencePattern("lap2d_k50").acyclicColoring().count <= 4)
    #expect(try referencePattern("lap3d_k20").acyclicColoring().count <= 6)
}
