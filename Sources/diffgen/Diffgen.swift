import ArgumentParser
import DiffGen
import Foundation

/// The `diffgen` command: DiffGen for people who do not write Swift.
///
/// Exit codes: 0 success, 1 a check failed, 2 a usage or input error (with the message on stderr).
@main
struct Diffgen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diffgen",
        abstract: "Generate, evaluate and check C code for functions, Jacobians and Hessians of a model file.",
        discussion: "Models are written in DiffGen's model language (.dg files); see the README for its reference.",
        subcommands: [Generate.self, Eval.self, Check.self, Info.self, Report.self, Bench.self, URDFCommand.self, Acados.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            Foundation.exit(failure.code)
        } catch {
            let message = fullMessage(for: error)
            if exitCode(for: error) == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// A failure with its message and exit code (1: a check failed, 2: bad input).
struct CommandFailure: Error {
    let message: String
    let code: Int32

    static func input(_ message: String) -> CommandFailure { CommandFailure(message: message, code: 2) }
}

/// Progress on stderr when it is a terminal, nothing otherwise.
enum Progress {
    static let enabled = isatty(2) != 0

    static func step(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\u{1B}[2K\r\(text)…".utf8))
    }

    static func done() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8))
    }
}
