import Foundation

/// `bench/summary.json`: every ratio `make bench` prints, as a flat list of
/// `{"figure", "diffgen", "anchor", "anchor_name", "ratio", "unit"}` (ratio = DiffGen / anchor,
/// lower is better), so tools outside the project read the figures without parsing tables. Each
/// subcommand adds its entries to the file (read, extended, written atomically); `make bench`
/// removes the file first, so it holds one run.
enum Summary {
    static let path = "bench/summary.json"

    /// Adds one figure; `unit` names what `diffgen` and `anchor` measure (lower is better).
    static func record(_ figure: String, diffgen: Double, anchor: Double, anchorName: String, unit: String) {
        guard diffgen.isFinite, anchor.isFinite, anchor != 0 else { return }
        var entries = (try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))) as? [[String: Any]] ?? []
        entries.append(["figure": figure, "diffgen": diffgen, "anchor": anchor, "anchor_name": anchorName, "ratio": diffgen / anchor, "unit": unit])
        do {
            try FileManager.default.createDirectory(atPath: "bench", withIntermediateDirectories: true)
            let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            FileHandle.standardError.write(Data("cannot write \(path): \(error)\n".utf8))
        }
    }
}
