import ArgumentParser
import DiffGen
import Foundation

/// The robot benchmarks against Pinocchio's C++ (the pip wheel `pin`), interleaved in one run:
/// the frame Jacobian per call (Pinocchio's computeFrameJacobian, forward kinematics included;
/// ours: p, R and the 6×n geometric Jacobian) and damped-least-squares IK iterations per second
/// (Pinocchio: Jacobian, log3 error, 6×6 LLT; ours: the generated DLS step), on the optimized tier.
struct Robots: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "robots", abstract: "Robot kinematics and IK against Pinocchio (C++), interleaved.")

    @Option(help: "Interleaved repetitions (medians are printed).") var repetitions = 5

    func run() throws {
        let harness = try buildPinocchioTwin()
        print("| robot | Jacobian ns/call DiffGen | Pinocchio | Pinocchio / DiffGen | IK iterations/s DiffGen | Pinocchio | DiffGen / Pinocchio |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        var twins: [(String, String, String, String, Int)] = []
        for (name, file, base, tip) in [("Panda", "examples/robots/panda.urdf", "panda_link0", "panda_link8"),
                                        ("UR5", "examples/robots/ur5.urdf", "base", "flange")] {
            let chain = try RobotChain(try URDF(text: try String(contentsOfFile: file, encoding: .utf8)), base: base, tip: tip)
            let kinematics = try chain.function(named: "bench_kinematics").compiled(optimizeWith: SystemCompiler())
            let step = try chain.dampedLeastSquaresStep(named: "bench_dls", damping: 0.05).compiled(optimizeWith: SystemCompiler())
            guard kinematics.waitForOptimization(seconds: 600) == .optimized, step.waitForOptimization(seconds: 600) == .optimized else {
                throw BenchError("the optimized tier did not build")
            }
            var ours: [(Double, Double)] = [], theirs: [(Double, Double)] = []
            for _ in 0..<repetitions {
                ours.append((try Self.nanosecondsPerCall(kinematics), try Self.iterationsPerSecond(step)))
                let run = Process()
                run.executableURL = URL(fileURLWithPath: harness)
                run.arguments = [file, tip, "300000"]
                let pipe = Pipe()
                run.standardOutput = pipe
                try run.run()
                let output = pipe.fileHandleForReading.readDataToEndOfFile()
                run.waitUntilExit()
                let json = try JSONSerialization.jsonObject(with: output) as? [String: Double] ?? [:]
                theirs.append((json["jacobian_ns"] ?? .nan, json["ik_per_second"] ?? .nan))
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            let (ourJ, ourIK) = (median(ours.map(\.0)), median(ours.map(\.1)))
            let (theirJ, theirIK) = (median(theirs.map(\.0)), median(theirs.map(\.1)))
            print(String(format: "| %@ | %.1f | %.1f | %.2f | %.0f | %.0f | %.2f |", name, ourJ, theirJ, theirJ / ourJ, ourIK, theirIK, ourIK / theirIK))
            Summary.record("\(name): frame Jacobian ns/call", diffgen: ourJ, anchor: theirJ, anchorName: "Pinocchio (C++)", unit: "ns")
            Summary.record("\(name): DLS IK iteration", diffgen: 1e9 / ourIK, anchor: 1e9 / theirIK, anchorName: "Pinocchio (C++)", unit: "ns")
            twins.append((name, file, base, tip, try chain.function(named: "ops").operationCount))
        }
        // The URDF path against CasADi: the same chain built in SX from the URDF, with cse.
        print("\n| robot | operations p, R, J DiffGen | CasADi twin (cse) | ratio | URDF to callable DiffGen (median of 11) |")
        print("| --- | --- | --- | --- | --- |")
        for (name, file, base, tip, operations) in twins {
            let twin = Process()
            twin.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            twin.arguments = ["python3", "Benchmarks/casadi/urdf_twin.py", file, base, tip]
            let pipe = Pipe()
            twin.standardOutput = pipe
            try twin.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            twin.waitUntilExit()
            let casadi = (try JSONSerialization.jsonObject(with: output) as? [String: Double])?["operations"] ?? .nan
            var seconds: [Double] = []
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for k in 0..<11 {
                let start = DispatchTime.now().uptimeNanoseconds
                let native = try RobotChain(try URDF(text: text), base: base, tip: tip).function(named: "callable_\(k)").compiled()
                _ = try native([[Double](repeating: 0.1, count: native.inputSizes[0])])
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
            }
            print(String(format: "| %@ | %d | %.0f | %.2f | %.2f ms |", name, operations, casadi, Double(operations) / casadi, seconds.sorted()[5] * 1e3))
            Summary.record("\(name): p, R, J operations from the URDF", diffgen: Double(operations), anchor: casadi, anchorName: "CasADi SX twin (cse)", unit: "operations")
        }
    }

    /// Thread CPU time per call of `native` with the first input changing, over 300 000 calls.
    static func nanosecondsPerCall(_ native: NativeFunction) throws -> Double {
        let workspace = Workspace(native)
        let q = workspace.input(0)
        for k in 0..<q.count { q[k] = 0.1 + 0.05 * Double(k) }
        let calls = 300_000
        let start = threadSeconds()
        for i in 0..<calls {
            q[0] = 1e-6 * Double(i % 1000)
            workspace.run()
        }
        return (threadSeconds() - start) / Double(calls) * 1e9
    }

    /// DLS iterations per second toward a target 5 cm from the start.
    static func iterationsPerSecond(_ step: NativeFunction) throws -> Double {
        let workspace = Workspace(step)
        let q = workspace.input("q")!, target = workspace.input("target")!, orientation = workspace.input("orientation")!
        let next = workspace.output("q_next")!
        for k in 0..<q.count { q[k] = 0.1 + 0.05 * Double(k) }
        for k in 0..<3 { target[k] = 0.3 + 0.05 * Double(k) }
        for k in 0..<9 { orientation[k] = k % 4 == 0 ? 1 : 0 }
        let calls = 300_000
        let start = threadSeconds()
        for _ in 0..<calls {
            workspace.run()
            for k in 0..<q.count { q[k] = next[k] }
        }
        return Double(calls) / (threadSeconds() - start)
    }

    static func threadSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
    }

    /// Builds Benchmarks/harness/pinocchio_twin.cpp against the pip wheel's headers and libraries.
    func buildPinocchioTwin() throws -> String {
        let find = Process()
        find.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        find.arguments = ["python3", "-c", "import cmeel, pinocchio, os; print(os.path.join(os.path.dirname(os.path.dirname(cmeel.__file__)), 'cmeel.prefix'))"]
        let pipe = Pipe()
        find.standardOutput = pipe
        try find.run()
        let prefix = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        find.waitUntilExit()
        guard find.terminationStatus == 0, !prefix.isEmpty else { throw BenchError("Pinocchio is missing: pip install pin cmeel-eigen cmeel-urdfdom-headers") }
        let output = NSTemporaryDirectory() + "diffgen-pinocchio-twin"
        let compile = Process()
        compile.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compile.arguments = ["g++", "-O2", "-std=c++17", "-DNDEBUG", "-DBOOST_MPL_CFG_NO_PREPROCESSED_HEADERS", "-DBOOST_MPL_LIMIT_LIST_SIZE=30",
                             "-DBOOST_MPL_LIMIT_VECTOR_SIZE=30", "-I\(prefix)/include", "-I\(prefix)/include/eigen3",
                             "-I\(prefix)/include/urdfdom_headers", "-I\(prefix)/include/urdfdom", "Benchmarks/harness/pinocchio_twin.cpp",
                             "-o", output, "-L\(prefix)/lib", "-lpinocchio_default", "-lpinocchio_parsers", "-Wl,-rpath,\(prefix)/lib"]
        try compile.run()
        compile.waitUntilExit()
        guard compile.terminationStatus == 0 else { throw BenchError("cannot build the Pinocchio twin (g++ failed)") }
        return output
    }
}
