import Foundation

/// Everything one run measured, written as JSON with the machine and versions.
struct Report {
    let quick: Bool
    let casadiVersion: String
    var values: [String: Double] = [:]
    var build: [String: [String: [Double]]] = [:]
    var memory: [String: [String: Double]] = [:]
    var derivatives: [String: [String: [Double]]] = [:]
    var code: [String: [String: [Double]]] = [:]
    var scale: [String: [String: Double]] = [:]
    /// Per pattern: colors and seconds (−1: not measured).
    var colorings: [String: [String: [Double]]] = [:]

    /// First lines of the tools' own version output.
    static func toolVersions(casadi: String) -> [String: String] {
        var versions = ["casadi": casadi]
        for (tool, command) in [("swift", "swift --version"), ("gcc", "gcc --version"), ("clang", "clang --version"), ("tcc", "tcc -v")] {
            let line = (try? runCapturing(["/bin/sh", "-c", "\(command) 2>&1"]))?.split(separator: "\n").first.map(String.init)
            versions[tool] = line ?? "not found"
        }
        return versions
    }

    func write(to path: String) throws {
        var uts = utsname()
        uname(&uts)
        let machine = withUnsafeBytes(of: &uts.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let object: [String: Any] = [
            "date": ISO8601DateFormatter().string(from: Date()),
            "machine": ["arch": machine, "cores": ProcessInfo.processInfo.activeProcessorCount,
                        "memory_bytes": ProcessInfo.processInfo.physicalMemory],
            "versions": Report.toolVersions(casadi: casadiVersion),
            "quick": quick,
            "values_max_rel_diff": values,
            "build_seconds": build,
            "memory": memory,
            "derivative_seconds": derivatives,
            "code_and_runs": code,
            "scale": scale,
            "colorings": colorings,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
