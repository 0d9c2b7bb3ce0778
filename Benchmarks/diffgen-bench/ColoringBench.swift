import DiffGen
import ReferenceProblems
import Foundation

/// Colorings of the shared reference patterns (and two generated timing instances), side by side
/// with CasADi's colorings of the same patterns, timed in the same run.
extension Run {
    static let patternsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/bench/coloring/patterns").path

    func measureColorings(twin: CasADiTwin, quick: Bool, report: inout Report) throws {
        print("\n## Colorings (colors; CPU time, best of 3 or more runs (0.2 s); CasADi column/row in natural order, star largest-first)\n")
        print("| pattern | nnz | column D/C | row D/C | bicoloring D (sweeps) | star D/C default/C new | acyclic D | time column D/C | time star D/C default/C new |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        let names = try FileManager.default.contentsOfDirectory(atPath: Run.patternsDirectory)
            .filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
        var instances: [(name: String, load: () throws -> Pattern, twin: [String: Any])] = names.map { name in
            (name, { try Pattern(coordinateText: String(contentsOfFile: "\(Run.patternsDirectory)/\(name).txt", encoding: .utf8)) },
             ["path": "\(Run.patternsDirectory)/\(name).txt"])
        }
        // The generated families (PatternFamilies), handed to CasADi as coordinate text.
        let familyDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("diffgen-families-\(getpid())").path
        try FileManager.default.createDirectory(atPath: familyDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: familyDirectory) }
        for family in PatternFamilies.all() {
            let path = "\(familyDirectory)/\(family.name).txt"
            try family.pattern.coordinateText.write(toFile: path, atomically: true, encoding: .utf8)
            instances.append((family.name + " (generated)", { family.pattern }, ["path": path]))
        }
        if !quick {
            instances.append(("lap3d_k80 (generated)", { ReferencePatterns.laplacian3D(80) }, ["generate": "lap3d", "k": 80]))
            instances.append(("banded_n100000_b5_dense5 (generated)", { ReferencePatterns.bandedWithDenseBorder(100_000, halfBandwidth: 5, dense: 5) },
                              ["generate": "banded_dense", "n": 100_000, "b": 5, "dense": 5]))
        }
        for instance in instances {
            let pattern = try instance.load()
            let symmetric = pattern.rows == pattern.cols && pattern == pattern.transposed()
            let big = pattern.nonzeroCount > 1_000_000 || instance.name.hasPrefix("banded_n100000")
            let reps = big ? 1 : 3
            // At least `reps` runs, and more (up to 200) until 0.2 s are spent, as the twin does.
            func best<T>(_ body: () -> T) -> (T, Double) {
                var result: T? = nil
                var (fastest, spent, runs) = (Double.infinity, 0.0, 0)
                while runs < reps || (spent < 0.2 && runs < 200) {
                    let elapsed = cpuSeconds { result = body() }
                    (fastest, spent, runs) = (Swift.min(fastest, elapsed), spent + elapsed, runs + 1)
                }
                return (result!, fastest)
            }
            // The dense-border instance is for star coloring (CasADi's column coloring needs 100 000 colors there).
            let starOnly = instance.name.hasPrefix("banded_n100000")
            let (columns, columnSeconds) = starOnly ? (nil, -1.0) : best { pattern.columnColoring() }
            let rows = (starOnly || symmetric) ? nil : pattern.rowColoring()
            let bicolored = (starOnly || big) ? nil : pattern.bicoloring()
            let (star, starSeconds) = symmetric ? best { pattern.starColoring() } : (nil, -1.0)
            let acyclic = symmetric && !big ? pattern.acyclicColoring() : nil
            var request = instance.twin
            request["cmd"] = "coloring"
            request["symmetric"] = symmetric
            request["star_only"] = starOnly
            request["reps"] = reps
            let theirs = try twin.request(request)
            func count(_ key: String) -> String { (theirs[key] as? Int).map(String.init) ?? "–" }
            func time(_ key: String) -> String { (theirs[key + "_seconds"] as? Double).map(formatSeconds) ?? "–" }
            let column = columns.map { "\($0.count)/\(count("column"))" } ?? "–"
            let row = symmetric ? "(= column)" : (rows.map { "\($0.count)/\(count("row"))" } ?? "–")
            let bi = bicolored.map { "\($0.sweeps) (\($0.forwardSweeps) fwd + \($0.reverseSweeps) rev)" } ?? ((starOnly || big) ? "–" : "not better")
            let starText = star.map { "\($0.count)/\(count("star"))/\(count("star2"))" } ?? "–"
            let acyclicText = acyclic.map { "\($0.count)" } ?? "–"
            let columnTime = columns == nil ? "–" : "\(formatSeconds(columnSeconds))/\(time("column"))"
            let starTime = star == nil ? "–" : "\(formatSeconds(starSeconds))/\(time("star"))/\(time("star2"))"
            print("| \(instance.name) | \(pattern.nonzeroCount) | \(column) | \(row) | \(bi) | \(starText) | \(acyclicText) | \(columnTime) | \(starTime) |")
            if let columns, let theirColumns = theirs["column"] as? Int {
                Summary.record("\(instance.name): column colors", diffgen: Double(columns.count), anchor: Double(theirColumns), anchorName: "CasADi", unit: "colors")
                Summary.record("\(instance.name): column coloring time", diffgen: columnSeconds, anchor: theirs["column_seconds"] as? Double ?? .nan, anchorName: "CasADi", unit: "s")
            }
            if let star, let theirStar = theirs["star"] as? Int {
                Summary.record("\(instance.name): star colors", diffgen: Double(star.count), anchor: Double(theirStar), anchorName: "CasADi (star_coloring)", unit: "colors")
                Summary.record("\(instance.name): star coloring time", diffgen: starSeconds, anchor: theirs["star_seconds"] as? Double ?? .nan, anchorName: "CasADi (star_coloring)", unit: "s")
            }
            report.colorings[instance.name] = [
                "column": [Double(columns?.count ?? -1), Double(theirs["column"] as? Int ?? -1), columnSeconds, theirs["column_seconds"] as? Double ?? -1],
                "star": [Double(star?.count ?? -1), Double(theirs["star"] as? Int ?? -1), Double(theirs["star2"] as? Int ?? -1),
                         starSeconds, theirs["star_seconds"] as? Double ?? -1, theirs["star2_seconds"] as? Double ?? -1],
                "row": [Double(rows?.count ?? -1), Double(theirs["row"] as? Int ?? -1)],
                "bicoloring": [Double(bicolored?.sweeps ?? -1)], "acyclic": [Double(acyclic?.count ?? -1)],
            ]
        }
    }
}

/// Generated patterns of `shared/bench/coloring/RESULTS.md`'s timing-only instances.
enum ReferencePatterns {
    /// 7-point stencil on a k³ grid, i = (x·k + y)·k + z.
    static func laplacian3D(_ k: Int) -> Pattern {
        var entries: [(row: Int, col: Int)] = []
        entries.reserveCapacity(7 * k * k * k)
        for x in 0..<k { for y in 0..<k { for z in 0..<k {
            let i = (x * k + y) * k + z
            entries.append((i, i))
            if x > 0 { entries.append((i, i - k * k)) }
            if x < k - 1 { entries.append((i, i + k * k)) }
            if y > 0 { entries.append((i, i - k)) }
            if y < k - 1 { entries.append((i, i + k)) }
            if z > 0 { entries.append((i, i - 1)) }
            if z < k - 1 { entries.append((i, i + 1)) }
        } } }
        return Pattern(rows: k * k * k, cols: k * k * k, entries: entries)
    }

    /// Half-bandwidth b, and the last `dense` rows and columns full (CasADi issue #2454).
    static func bandedWithDenseBorder(_ n: Int, halfBandwidth b: Int, dense: Int) -> Pattern {
        var entries: [(row: Int, col: Int)] = []
        for i in 0..<n {
            for j in Swift.max(0, i - b)...Swift.min(n - 1, i + b) { entries.append((i, j)) }
        }
        for d in (n - dense)..<n {
            for j in 0..<n {
                entries.append((d, j))
                entries.append((j, d))
            }
        }
        return Pattern(rows: n, cols: n, entries: entries)
    }
}
