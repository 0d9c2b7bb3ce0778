import DiffGen
import DiffGenTestSupport
import Foundation
import ReferenceProblems
import Testing

private func robot(_ name: String) throws -> URDF {
    let url = Bundle.module.resourceURL!.appendingPathComponent("URDFs/\(name).urdf")
    return try URDF(text: try String(contentsOf: url, encoding: .utf8))
}

/// p (3), R (9, column-major) and J (6n, column-major) of a chain at q.
private func evaluate(_ chain: RobotChain, _ q: [Double]) throws -> (p: [Double], r: [Double], j: [Double]) {
    let f = try chain.function(named: "kinematics")
    let values = try Interpreter(f).evaluate([q])
    return (values[0], values[1], values[2])
}

/// A planar three-link arm against its closed-form position and Jacobian.
@Test func planarArmMatchesItsClosedForm() throws {
    let chain = try RobotChain(try robot("planar3"), base: "base", tip: "tool")
    #expect(chain.inputJoints.map(\.name) == ["j1", "j2", "j3"])
    let lengths = [1.0, 0.7, 0.4]
    var rng = SeededRandom(seed: 3)
    for _ in 0..<20 {
        let q = (0..<3).map { _ in rng.uniform(-3...3) }
        let (p, _, j) = try evaluate(chain, q)
        let phi = [q[0], q[0] + q[1], q[0] + q[1] + q[2]]
        let x = (0..<3).reduce(0.0) { $0 + lengths[$1] * cos(phi[$1]) }, y = (0..<3).reduce(0.0) { $0 + lengths[$1] * sin(phi[$1]) }
        #expect(abs(p[0] - x) < 1e-14 && abs(p[1] - y) < 1e-14 && p[2] == 0)
        for col in 0..<3 {
            let dx = -(col..<3).reduce(0.0) { $0 + lengths[$1] * sin(phi[$1]) }
            let dy = (col..<3).reduce(0.0) { $0 + lengths[$1] * cos(phi[$1]) }
            let column = Array(j[(6 * col)..<(6 * col + 6)])
            #expect(abs(column[0] - dx) < 1e-14 && abs(column[1] - dy) < 1e-14, "column \(col)")
            #expect(column[2] == 0 && column[3] == 0 && column[4] == 0 && column[5] == 1, "column \(col): \(column)")
        }
    }
}

/// A UR5 written as URDF from its published standard DH table agrees with the DH chain to 1e-12.
@Test func urdfFromADHTableAgreesWithTheDHChain() throws {
    let chain = try RobotChain(try robot("ur5_dh"), base: "base", tip: "flange")
    #expect(chain.inputJoints.count == 6)
    let context = ExprContext()
    let q = context.vector("q", count: 6)
    let d = [0.089159, 0, 0, 0.10915, 0.09465, 0.0823], a = [0, -0.425, -0.39225, 0, 0, 0]
    let alpha: [Double] = [Double.pi / 2, 0, 0, Double.pi / 2, -Double.pi / 2, 0]
    var t = Matrix.standardDH(a: a[0], d: d[0], alpha: alpha[0], theta: q[0])
    for i in 1..<6 { t = try t * Matrix.standardDH(a: a[i], d: d[i], alpha: alpha[i], theta: q[i]) }
    t = try t * Matrix.homogeneous(rotation: Matrix.identity(3, in: context), translation: try Matrix(context, constants: [[0], [0], [0.01]]))
    let reference = Interpreter(try Function("dh", inputs: [("q", q)], outputs: [("p", t[0..<3, 3..<4]), ("R", t[0..<3, 0..<3])]))
    var rng = SeededRandom(seed: 5)
    for _ in 0..<50 {
        let point = (0..<6).map { _ in rng.uniform(-3...3) }
        let (p, r, _) = try evaluate(chain, point)
        let want = try reference.evaluate([point])
        let ours: [Double] = p + r, theirs: [Double] = want[0] + want[1]
        for (x, y) in zip(ours, theirs) { #expect(Swift.abs(x - y) < 1e-12, "URDF \(x), DH \(y)") }
    }
}

/// Tilted and negative axes, a prismatic joint, fixed joints between moving ones and a mimic
/// joint: J's rows 0–2 equal central differences of p, rows 3–5 the angular velocity from
/// central differences of R (ω× = Ṙ·Rᵀ).
@Test func geometricJacobianMatchesDifferencesOfThePose() throws {
    let chain = try RobotChain(try robot("mixed"), base: "world", tip: "tip")
    #expect(chain.inputJoints.map(\.name) == ["tilted", "slide", "wrist", "roll"])
    #expect(chain.inputJoints[1].lower == 0 && chain.inputJoints[1].upper == 0.5)
    var rng = SeededRandom(seed: 8)
    for _ in 0..<20 {
        let q = (0..<4).map { _ in rng.uniform(-1.5...1.5) }
        let (_, r, j) = try evaluate(chain, q)
        for k in 0..<4 {
            let h = 1e-6
            var plus = q, minus = q
            plus[k] += h
            minus[k] -= h
            let (pp, rp, _) = try evaluate(chain, plus), (pm, rm, _) = try evaluate(chain, minus)
            let dp = (0..<3).map { (pp[$0] - pm[$0]) / (2 * h) }
            // Ṙ·Rᵀ, column-major entries R[i, j] = r[i + 3j].
            func omega(_ i: Int, _ l: Int) -> Double {
                (0..<3).reduce(0.0) { $0 + (rp[i + 3 * $1] - rm[i + 3 * $1]) / (2 * h) * r[l + 3 * $1] }
            }
            let w = [omega(2, 1), omega(0, 2), omega(1, 0)]
            let column = Array(j[(6 * k)..<(6 * k + 6)])
            for i in 0..<3 {
                #expect(abs(column[i] - dp[i]) < 1e-8, "joint \(k) linear \(i): \(column[i]) vs \(dp[i])")
                #expect(abs(column[i + 3] - w[i]) < 1e-8, "joint \(k) angular \(i): \(column[i + 3]) vs \(w[i])")
            }
        }
    }
}

/// A rotation about a coordinate axis costs exactly what rotationX/Y/Z cost; a general axis
/// costs Rodrigues with its constant products folded.
@Test func rotationAboutAConstantAxisIsLean() throws {
    func operations(_ build: (Expr) -> Matrix) throws -> Int {
        let context = ExprContext()
        let t = context.symbol("t")
        return try Function("r", inputs: [("t", Matrix(t))], outputs: [("R", build(t))]).operationCount
    }
    #expect(try operations { Matrix.rotation(axis: (1, 0, 0), angle: $0) } == (try operations { Matrix.rotationX($0) }))
    #expect(try operations { Matrix.rotation(axis: (0, 0, 1), angle: $0) } == (try operations { Matrix.rotationZ($0) }))
    // cos, sin, 1 − c, 6 distinct products of 1 − c (aᵢaⱼ = aⱼaᵢ), 3 diagonal sums, 3 products of
    // s and 6 off-diagonal sums.
    let s3 = 1 / 3.0.squareRoot()
    #expect(try operations { Matrix.rotation(axis: (s3, s3, s3), angle: $0) } <= 22)
    // And it is a rotation: RᵀR = I at a point.
    let context = ExprContext()
    let t = context.symbol("t")
    let r = Matrix.rotation(axis: (0.36, 0.48, 0.8), angle: t)
    let values = try Interpreter(try Function("r", inputs: [("t", Matrix(t))], outputs: [("RtR", try r.transposed() * r)])).evaluate([[0.7]])[0]
    for i in 0..<3 { for k in 0..<3 { #expect(abs(values[i + 3 * k] - (i == k ? 1 : 0)) < 1e-15) } }
}

/// Malformed descriptions are named, never a crash.
@Test func urdfErrorsNameTheElement() {
    func error(_ text: String, base: String = "a", tip: String = "b") -> String {
        do { _ = try RobotChain(try URDF(text: text), base: base, tip: tip); return "no error" } catch { return "\(error)" }
    }
    let links = "<link name=\"a\"/><link name=\"b\"/>"
    #expect(error("<robot name=\"r\"><link name=\"a\"></robot>").hasPrefix("line 1: malformed XML"))
    #expect(error("<robot name=\"r\">\(links)<joint name=\"j\" type=\"revolute\"><parent link=\"a\"/><child link=\"c\"/></joint></robot>")
        == "line 1: joint 'j': its child link 'c' is not defined")
    #expect(error("<robot name=\"r\">\(links)<joint name=\"j\" type=\"floating\"><parent link=\"a\"/><child link=\"b\"/></joint></robot>")
        == "line 1: joint 'j' has type 'floating'; DiffGen supports revolute, continuous, prismatic or fixed")
    #expect(error("<robot name=\"r\">\(links)<joint name=\"j\" type=\"revolute\"><parent link=\"a\"/><child link=\"b\"/><axis xyz=\"0 0 0\"/></joint></robot>")
        == "line 1: joint 'j' has a zero axis")
    #expect(error("<robot name=\"r\">\(links)<link name=\"a\"/></robot>") == "line 1: link 'a' is defined twice (first at line 1)")
    #expect(error("<robot name=\"r\">\(links)<joint name=\"j\" type=\"fixed\"><parent link=\"a\"/><child link=\"b\"/></joint><joint name=\"j\" type=\"fixed\"><parent link=\"b\"/><child link=\"a\"/></joint></robot>")
        == "line 1: joint 'j' is defined twice (first at line 1)")
    #expect(error("<robot name=\"r\">\(links)<joint name=\"j\" type=\"fixed\"><parent link=\"a\"/><child link=\"b\"/></joint><joint name=\"k\" type=\"fixed\"><parent link=\"b\"/><child link=\"a\"/></joint></robot>", base: "c", tip: "b")
        == "line 1: the base link 'c' is not defined")
    #expect(error("<robot name=\"r\">\(links)<link name=\"c\"/><joint name=\"j\" type=\"fixed\"><parent link=\"a\"/><child link=\"b\"/></joint><joint name=\"k\" type=\"fixed\"><parent link=\"b\"/><child link=\"a\"/></joint></robot>", base: "c", tip: "b")
        == "line 1: the joints form a loop through link 'b'")
    #expect(error("<robot name=\"r\">\(links)<joint name=\"j\" type=\"fixed\"><parent link=\"a\"/><child link=\"b\"/></joint></robot>", base: "b", tip: "a")
        == "line 1: no path from base link 'b' to tip link 'a' ('a' has no parent)")
    #expect(error("<robot name=\"r\">\(links)<joint name=\"j\" type=\"fixed\"><parent link=\"a\"/><child link=\"b\"/><origin xyz=\"1 2\"/></joint></robot>")
        == "line 1: joint 'j': origin xyz must be 3 finite numbers, got '1 2'")
}

/// The Panda written as URDF from its published parameters agrees with the modified-DH chain of
/// the benchmarks to 1e-12 (position and rotation), and its geometric Jacobian's linear rows
/// equal the DH chain's ∂p/∂q.
@Test func pandaURDFAgreesWithTheModifiedDHChain() throws {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/robots/panda.urdf").path
    let chain = try RobotChain(try URDF(text: try String(contentsOfFile: path, encoding: .utf8)), base: "panda_link0", tip: "panda_link8")
    // The benchmarks' chain: f = [p; R row by row].
    let panda = try ReferenceProblems.pandaFK(ExprContext())
    let q = try panda.input(0), f = try panda.output(0)
    let p = f[0..<3, 0..<1]
    let rotation = try Matrix(rows: (0..<3).map { i in (0..<3).map { j in f[3 + 3 * i + j] } })
    let reference = Interpreter(try Function("dh", inputs: [("q", q)], outputs: [
        ("p", p), ("R", rotation), ("dp", try jacobian(of: p, wrt: q)),
    ]))
    var rng = SeededRandom(seed: 11)
    for _ in 0..<50 {
        let point = (0..<7).map { _ in rng.uniform(-2.8...2.8) }
        let (ours, r, j) = try evaluate(chain, point)
        let want = try reference.evaluate([point])
        for (x, y) in zip(ours + r, want[0] + want[1]) { #expect(Swift.abs(x - y) < 1e-12, "URDF \(x), DH \(y)") }
        for col in 0..<7 { for row in 0..<3 { #expect(Swift.abs(j[6 * col + row] - want[2][row + 3 * col]) < 1e-12) } }
    }
}

/// Pinocchio, an independent rigid-body library, gives the same tip position, rotation and
/// LOCAL_WORLD_ALIGNED frame Jacobian as the chain (1e-12), on the Panda, the UR5 written from
/// its DH table (fixed joints between moving ones) and the planar arm.
@Test(arguments: [("panda", "panda_link0", "panda_link8"), ("ur5_dh", "base", "flange"), ("planar3", "base", "tool")])
func pinocchioAgreesWithTheChain(_ robotName: String, _ base: String, _ tip: String) throws {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    let path = robotName == "panda"
        ? here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/robots/panda.urdf").path
        : Bundle.module.resourceURL!.appendingPathComponent("URDFs/\(robotName).urdf").path
    let chain = try RobotChain(try URDF(text: try String(contentsOfFile: path, encoding: .utf8)), base: base, tip: tip)
    var rng = SeededRandom(seed: 99)
    let points = (0..<10).map { _ in (0..<chain.inputJoints.count).map { _ in rng.uniform(-2.5...2.5) } }
    let json = "[" + points.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    let run = try CToolchain.run(["python3", here.appendingPathComponent("Clients/pinocchio_kinematics.py").path, path, base, tip, json])
    try #require(run.succeeded, "Pinocchio (pip `pin`, installed by make test): \(run.errors)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    #expect(report["names"] as? [String] == chain.inputJoints.map(\.name))
    let results = try #require(report["points"] as? [[String: [Double]]])
    for (q, theirs) in zip(points, results) {
        let (p, r, j) = try evaluate(chain, q)
        for (key, ours) in [("p", p), ("R", r), ("J", j)] {
            let reference = try #require(theirs[key])
            #expect(reference.count == ours.count)
            let worst = zip(ours, reference).map { Swift.abs($0 - $1) }.max() ?? 0
            #expect(worst < 1e-12, "\(robotName) \(key): differs from Pinocchio by \(worst) at \(q)")
        }
    }
}
