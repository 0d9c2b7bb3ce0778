import ArgumentParser
import DiffGen
import Foundation
import ReferenceProblems

/// Every coloring against ColPack 1.0.10 (Debian libcolpack-dev, `Benchmarks/harness/colpack_twin.cpp`)
/// in each of its vertex orders, on the shared reference patterns and the generated families:
/// colors and CPU time (best of 3) side by side. Every ColPack coloring is checked with DiffGen's
/// own checkers first; an invalid one is reported, not counted.
struct ColPackBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "colpack", abstract: "Colorings against ColPack's orders, every result checked.")

    func run() throws {
        let harness = NSTemporaryDirectory() + "diffgen-colpack-twin"
        let build = try runCommand(["g++", "-O2", "-std=c++17", "-o", harness, "Benchmarks/harness/colpack_twin.cpp", "-lColPack"])
        guard build.status == 0 else { throw BenchError("cannot build the ColPack twin (apt-get install libcolpack-dev): \(build.errors)") }
        let directory = NSTemporaryDirectory() + "diffgen-colpack-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var cases: [(String, Pattern)] = try FileManager.default.contentsOfDirectory(atPath: Run.patternsDirectory).filter { $0.hasSuffix(".txt") }.sorted().map {
            (String($0.dropLast(4)), try Pattern(coordinateText: String(contentsOfFile: "\(Run.patternsDirectory)/\($0)", encoding: .utf8)))
        }
        cases += PatternFamilies.all().map { ($0.name + " (generated)", $0.pattern) }
        print("\n## Colorings against ColPack 1.0.10 (colors; CPU time, best of 3; DiffGen default effort)\n")
        print("| pattern | kind | DiffGen colors | DiffGen time | ColPack fewest (order) | ColPack fastest order's time | D time / ColPack fastest | ColPack results rejected |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for (name, pattern) in cases {
            let path = "\(directory)/pattern.txt"
            try pattern.coordinateText.write(toFile: path, atomically: true, encoding: .utf8)
            let symmetric = pattern.rows == pattern.cols && pattern == pattern.transposed()
            let kinds = symmetric ? ["column", "star", "acyclic"] : ["column", "row"]
            for kind in kinds {
                var ours = Coloring([])
                var best = Double.infinity
                for _ in 0..<3 {
                    let seconds = cpuSeconds {
                        switch kind {
                        case "row": ours = pattern.rowColoring()
                        case "star": ours = pattern.starColoring()
                        case "acyclic": ours = pattern.acyclicColoring()
                        default: ours = pattern.columnColoring()
                        }
                    }
                    best = min(best, seconds)
                }
                let run = try runCommand([harness, kind, path])
                guard run.status == 0 else { print("| \(name) | \(kind) | \(ours.count) | \(formatSeconds(best)) | ColPack failed | | | |"); continue }
                var valid: [(order: String, colors: Int, seconds: Double)] = [], rejected: [String] = []
                for line in run.output.split(separator: "\n") {
                    guard let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                          let order = json["order"] as? String, let seconds = json["seconds"] as? Double, let colors = json["coloring"] as? [Int] else { continue }
                    let expected = kind == "row" ? pattern.rows : pattern.cols
                    guard colors.count == expected, colors.allSatisfy({ $0 >= 0 }) else { rejected.append("\(order) (uncolored vertices)"); continue }
                    let coloring = Coloring(colors.map(Int32.init))
                    let ok = switch kind {
                    case "row": ColoringCheck.isStructurallyOrthogonal(pattern.transposed(), columns: coloring)
                    case "star": ColoringCheck.isStar(pattern, coloring)
                    case "acyclic": ColoringCheck.isAcyclic(pattern, coloring)
                    default: ColoringCheck.isStructurallyOrthogonal(pattern, columns: coloring)
                    }
                    if ok { valid.append((order, coloring.count, seconds)) } else { rejected.append(order) }
                }
                guard let fewest = valid.min(by: { ($0.colors, $0.seconds) < ($1.colors, $1.seconds) }),
                      let fastest = valid.min(by: { $0.seconds < $1.seconds }) else {
                    print("| \(name) | \(kind) | \(ours.count) | \(formatSeconds(best)) | none valid | | | \(rejected.joined(separator: ", ")) |")
                    continue
                }
                Summary.record("\(name): \(kind) colors", diffgen: Double(ours.count), anchor: Double(fewest.colors), anchorName: "ColPack, best order", unit: "colors")
                Summary.record("\(name): \(kind) coloring time", diffgen: best, anchor: fastest.seconds, anchorName: "ColPack, fastest order", unit: "s")
                print("| \(name) | \(kind) | \(ours.count) | \(formatSeconds(best)) | \(fewest.colors) (\(fewest.order.lowercased())) | \(formatSeconds(fastest.seconds)) (\(fastest.order.lowercased())) | "
                      + String(format: "%.2f", best / fastest.seconds) + " | \(rejected.isEmpty ? "–" : rejected.joined(separator: ", ")) |")
            }
        }
    }
}
