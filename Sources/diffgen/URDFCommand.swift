import ArgumentParser
import DiffGen
import Foundation

struct URDFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "urdf",
        abstract: "Write a robot chain from a URDF as a model file: input q, outputs p, R and J.",
        discussion: """
        q holds the chain's moving joints from base to tip (mimic joints follow theirs); p is the \
        tip origin and R its orientation in base coordinates; J is the 6×n geometric Jacobian, \
        rows 0-2 the tip's linear velocity and rows 3-5 its angular velocity, both in base axes. \
        Every other subcommand accepts the model file written.
        """
    )

    @Argument(help: "The URDF file.") var urdf: String
    @Option(help: "The base link.") var base: String
    @Option(help: "The tip link.") var tip: String
    @Option(name: .shortAndLong, help: "The model file to write (default: standard output).") var output: String?
    @Option(help: "Treat rotation and axis entries within EPS of 0 or ±1 as exact.") var snap: Double?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: urdf), let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure.input("\(urdf): cannot read the file")
        }
        let model: String
        do {
            let robot = try URDF(text: text)
            let chain = try RobotChain(robot, base: base, tip: tip)
            let name = Identifier.problem(robot.name) == nil ? robot.name : "robot"
            let function = try chain.function(named: name, snap: snap)
            if let snap {
                let exact = try chain.function(named: name).operationCount
                FileHandle.standardError.write(Data("--snap \(snap): \(exact - function.operationCount) operations saved (\(exact) → \(function.operationCount))\n".utf8))
            }
            let joints = chain.inputJoints.map { joint in
                "#   q[\(chain.inputJoints.firstIndex { $0.name == joint.name }!)] \(joint.name) (\(joint.type.rawValue)"
                    + (joint.lower.map { ", \($0) to \(joint.upper ?? .infinity)" } ?? "") + ")"
            }
            model = "# \(robot.name) from \((urdf as NSString).lastPathComponent): \(base) → \(tip)\n" + joints.joined(separator: "\n") + "\n"
                + (try ModelPrinter.text(of: [function]))
        } catch let error as URDFError {
            throw CommandFailure.input("\(urdf):\(error.line): error: \(error.message)")
        }
        if let output {
            do { try model.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw CommandFailure.input("cannot write \(output): \(error.localizedDescription)")
            }
            print("wrote \(output)")
        } else {
            print(model, terminator: "")
        }
    }
}
