import DiffGenCore

/// Builds random expression graphs over every op, evaluating each new node alongside in plain
/// `Double` arithmetic (the shadow value), so tests can check that simplification and
/// hash-consing preserve values.
///
/// Ops whose result depends on the *sign* of a zero operand (`div`, `atan2`, `copysign`, `pow`,
/// negative `powi`) only take a second operand that is an input or a nonzero constant: the graph
/// may change the sign of a zero result (see `SimplificationPolicy`), and those ops would turn
/// that into a different value.
public struct RandomExpressions {
    public let context: ExprContext
    public let inputs: Matrix
    public private(set) var pool: [(expr: Expr, value: Double)] = []
    private var rng: SeededRandom
    private let inputCount: Int

    /// Ops the generator uses (all of them but `constant` and `symbol`).
    public static let ops: [Op] = Op.allCases.filter { $0 != .constant && $0 != .symbol }

    /// A generator over `inputCount` input symbols with values `point`.
    public init(seed: UInt64, point: [Double], context: ExprContext = ExprContext()) {
        self.context = context
        rng = SeededRandom(seed: seed)
        inputCount = point.count
        inputs = context.vector("in", count: point.count)
        for (k, value) in point.enumerated() { pool.append((inputs[k], value)) }
        for value in [0.0, 1.0, -1.0, 2.0, 0.5, -3.25] { pool.append((context.constant(value), value)) }
    }

    private mutating func pick() -> (expr: Expr, value: Double) {
        // Favour recent nodes so graphs get deep, but reuse old ones too (sharing, x - x, x*x).
        let n = pool.count
        if Bool.random(using: &rng) { return pool[n - 1 - Int.random(in: 0..<min(n, 4), using: &rng)] }
        return pool[Int.random(in: 0..<n, using: &rng)]
    }

    private mutating func pickSafeDivisor() -> (expr: Expr, value: Double) {
        let candidates = pool.indices.filter { k in
            k < inputCount || (pool[k].expr.constantValue.map { $0 != 0 } ?? false)
        }
        return pool[candidates[Int.random(in: 0..<candidates.count, using: &rng)]]
    }

    /// Appends one random node and returns it with its shadow value.
    @discardableResult
    public mutating func step() -> (expr: Expr, value: Double) {
        let op = RandomExpressions.ops[Int.random(in: 0..<RandomExpressions.ops.count, using: &rng)]
        let x = pick()
        let entry: (Expr, Double)
        switch op.operandCount {
        case 1 where op == .powi:
            let n = Int32.random(in: 2...6, using: &rng)
            entry = (pow(x.expr, Int(n)), ScalarSemantics.powi(x.value, n))
        case 1:
            entry = (Expr(node: context.withGraph { $0.make(op, x.expr.id) }, in: context),
                     ScalarSemantics.evaluate(op, x.value, 0, 0, literal: 0))
        case 2:
            let signSensitive: Set<Op> = [.div, .atan2, .copysign, .pow]
            let y = signSensitive.contains(op) ? pickSafeDivisor() : pick()
            let expr = Expr(node: context.withGraph { $0.make(op, x.expr.id, y.expr.id) }, in: context)
            // Documented semantics: a constant integral exponent means repeated multiplication.
            if op == .pow, let n = y.expr.constantValue, n == n.rounded(), Swift.abs(n) <= 64 {
                entry = (expr, ScalarSemantics.powi(x.value, Int32(n)))
            } else {
                entry = (expr, ScalarSemantics.evaluate(op, x.value, y.value, 0, literal: 0))
            }
        default:
            let (t, f) = (pick(), pick())
            entry = (ifElse(x.expr, t.expr, f.expr), x.value != 0 ? t.value : f.value)
        }
        pool.append(entry)
        return entry
    }

    /// Every op (but leaves) applied to the inputs themselves, so each meets the input values
    /// directly: unary ops on input 0, binary ops on inputs `binary`, `ifElse` on all three, and
    /// `powi` as `x[0]^exponent`. Needs at least three inputs.
    public func everyOp(binary: (Int, Int) = (1, 2), exponent: Int = -3) -> [Expr] {
        let x = inputs
        return RandomExpressions.ops.map { op in
            switch op.operandCount {
            case 1 where op == .powi: return pow(x[0], exponent)
            case 1: return Expr(node: context.withGraph { $0.make(op, x[0].id) }, in: context)
            case 2: return Expr(node: context.withGraph { $0.make(op, x[binary.0].id, x[binary.1].id) }, in: context)
            default: return ifElse(x[0], x[1], x[2])
            }
        }
    }

    /// A random input point: mostly moderate reals, sometimes a special value.
    public static func randomPoint(_ n: Int, using rng: inout SeededRandom, specials: Bool) -> [Double] {
        let special: [Double] = [0, -0.0, 1, -1, .infinity, -.infinity, .nan, 1e300, -1e-300]
        return (0..<n).map { _ in
            if specials && Int.random(in: 0..<5, using: &rng) == 0 {
                return special[Int.random(in: 0..<special.count, using: &rng)]
            }
            return rng.uniform(-3...3)
        }
    }
}

extension RandomExpressions {
    /// True when every generated node that `root` depends on has a finite value at the point:
    /// only then does the chain rule give the derivative (an infinite intermediate makes 0·∞).
    public func dependsOnlyOnFiniteValues(_ root: Expr) -> Bool {
        let needed = context.graph.reachable(from: [root.id])
        return pool.allSatisfy { entry in
            entry.expr.id.index >= needed.count || !needed[entry.expr.id.index] || entry.value.isFinite
        }
    }
}

extension RandomExpressions {
    /// Marks the nodes (and everything downstream of them) evaluated exactly at a point where
    /// their op's derivative is infinite or undefined — sqrt(0), log(0), acos(±1), y/0, … — where
    /// the chain rule meets 0·∞. The table is the ops' domains, independent of the AD code.
    public func singularNodes(at point: [Double]) throws -> [Bool] {
        let graph = context.graph
        let all = Matrix(nodes: (0..<graph.count).map { NodeID($0) }, rows: graph.count, cols: 1, in: context)
        let values = try Interpreter(Function("all", inputs: [("x", inputs)], outputs: [("v", all)])).evaluate([point])[0]
        var singular = [Bool](repeating: false, count: graph.count)
        for index in 0..<graph.count {
            let id = NodeID(index)
            let op = graph.op(id)
            let operands = (0..<op.operandCount).map { graph.operand($0, of: id) }
            if operands.contains(where: { singular[$0.index] }) {
                singular[index] = true
                continue
            }
            let v = operands.map { values[$0.index] }
            switch op {
            case .sqrt, .log: singular[index] = v[0] == 0
            case .asin, .acos, .atanh: singular[index] = Swift.abs(v[0]) == 1
            case .acosh: singular[index] = v[0] == 1
            case .div, .fmod: singular[index] = v[1] == 0
            case .pow: singular[index] = v[0] == 0 && v[1] < 1
            case .atan2, .hypot: singular[index] = v[0] == 0 && v[1] == 0
            default: break
            }
        }
        return singular
    }
}

/// Values agree as numbers: bitwise, or both NaN, or both zero of either sign.
public func sameValue(_ a: Double, _ b: Double) -> Bool {
    (a.isNaN && b.isNaN) || a == b
}
