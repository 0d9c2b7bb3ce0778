import Foundation

/// The CasADi side of a benchmark run: a long-lived Python worker (`Benchmarks/casadi/twin.py`)
/// spoken to in JSON lines, so DiffGen and CasADi measurements interleave in one run.
final class CasADiTwin {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("casadi/twin.py").path

    init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", CasADiTwin.script]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Sends one command and waits for its answer; a worker-side error is thrown.
    func request(_ command: [String: Any]) throws -> [String: Any] {
        var line = try JSONSerialization.data(withJSONObject: command)
        line.append(0x0A)
        input.fileHandleForWriting.write(line)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let answer = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any] else {
                    throw BenchError("CasADi worker sent something that is not a JSON object")
                }
                if let error = object["error"] as? String { throw BenchError("CasADi worker: \(error)") }
                return object
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw BenchError("CasADi worker exited (is casadi installed? pip install casadi)") }
            buffer.append(chunk)
        }
    }

    /// Peak-memory figures of building one problem in a fresh Python process.
    static func memory(problem: String, size: Int) throws -> (nodes: Int, bytes: Int) {
        let json = try runCapturing(["/usr/bin/env", "python3", script, "--memory", problem, String(size)])
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let nodes = object["nodes"] as? Int, let baseline = object["baseline"] as? Int,
              let peak = object["peak"] as? Int else {
            throw BenchError("CasADi memory probe printed: \(json)")
        }
        return (nodes, peak - baseline)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command (looked up on PATH unless a path) and returns its status, output and errors.
func runCommand(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self))
}

/// Runs a command and returns its standard output; a non-zero exit is thrown with its stderr.
func runCapturing(_ arguments: [String]) throws -> String {
    let run = try runCommand(arguments)
    guard run.status == 0 else { throw BenchError("\(arguments.joined(separator: " ")) failed: \(run.errors)") }
    return run.output
}
