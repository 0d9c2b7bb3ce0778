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

    func write(to path: String) throws {
        var uts = utsname()
        uname(&uts)
        let machine = withUnsafeBytes(of: &uts.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let object: [String: Any] = [
            "date": ISO8601DateFormatter().string(from: Date()),
            "machine": ["arch": machine, "cores": ProcessInfo.processInfo.activeProcessorCount,
                        "memory_bytes": ProcessInfo.processInfo.physicalMemory],
            "versions": ["casadi": casadiVersion],
            "quick": quick,
            "values_max_rel_diff": values,
            "build_seconds": build,
            "memory": memory,
            "derivative_seconds": derivatives,
            "code_and_runs": code,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    }
}
