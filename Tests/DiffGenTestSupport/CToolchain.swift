import Foundation

/// Runs real C compilers and the programs they build, for tests of emitted code.
public enum CToolchain {
    /// Flags every emitted file must pass without a warning.
    public static let strictFlags = ["-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]

    /// Result of running a command.
    public struct Outcome {
        public let status: Int32
        public let output: String
        public let errors: String
        public var succeeded: Bool { status == 0 }
    }

    /// Runs `arguments[0]` (looked up on PATH) with the rest as arguments, feeding `input`.
    public static func run(_ arguments: [String], input: String = "") throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                       errors: String(decoding: err, as: UTF8.self))
    }

    /// Runs a command with an empty signal mask. Tools built on libuv (cmake) learn of their
    /// children's exit through SIGCHLD, which the test process's threads keep blocked and pass on.
    public static func runUnblocked(_ arguments: [String], input: String = "") throws -> Outcome {
        let script = "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])"
        return try run(["python3", "-c", script] + arguments, input: input)
    }

    /// True when `tool` is on PATH.
    public static func available(_ tool: String) -> Bool {
        (try? run(["sh", "-c", "command -v \(tool)"]).succeeded) ?? false
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "diffgen-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Parses one number per line (as printed with %.17g), exactly.
    public static func numbers(_ text: String) -> [Double] {
        text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            switch trimmed {
            case "nan", "-nan": return .nan
            case "inf": return .infinity
            case "-inf": return -.infinity
            default: return Double(trimmed)
            }
        }
    }
}
