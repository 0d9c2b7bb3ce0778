import ComplexModule
import DiffGenCore
import RealModule

/// Evaluates a graph over `Complex<Double>` with formulas of its own (swift-numerics'
/// elementary functions; real-part rules for comparisons and picks), independent of the partials
/// table, so complex-step derivatives check the AD without sharing its code.
///
/// Non-analytic ops follow the same conventions as the AD, on real parts: `abs(z) = z·sign(re z)`,
/// `floor`/`ceil`/`sign`/comparisons are real, `fmin`/`fmax`/`ifElse` pick an operand by real
/// parts. `erf` has no complex formula here: evaluation returns nil when it is reached.
enum ComplexEvaluation {
    typealias C = Complex<Double>

    static func evaluate(_ graph: Graph, roots: [NodeID], inputs: [NodeID: C]) -> [C]? {
        let needed = graph.reachable(from: roots)
        var value = [C](repeating: .zero, count: needed.count)
        for index in 0..<needed.count where needed[index] {
            let id = NodeID(index)
            let op = graph.op(id)
            let x = op.operandCount > 0 ? value[graph.operand(0, of: id).index] : .zero
            let y = op.operandCount > 1 ? value[graph.operand(1, of: id).index] : .zero
            let z = op.operandCount > 2 ? value[graph.operand(2, of: id).index] : .zero
            guard let v = apply(op, x, y, z, graph: graph, id: id, inputs: inputs) else { return nil }
            value[index] = v
        }
        return roots.map { value[$0.index] }
    }

    private static func real(_ r: Double) -> C { C(r, 0) }

    /// atan(a + ib) = ½·atan2(2a, 1 − a² − b²) + i·¼·log1p(4b / (a² + (1 − b)²)): no `1 + tiny`
    /// cancellation, unlike atan via atanh(iz), which loses a complex step's imaginary part.
    private static func atan(_ z: C) -> C {
        let (a, b) = (z.real, z.imaginary)
        return C(0.5 * Double.atan2(y: 2 * a, x: 1 - a * a - b * b),
                 0.25 * Double.log(onePlus: 4 * b / (a * a + (1 - b) * (1 - b))))
    }
    private static func sign(_ r: Double) -> Double { ScalarSemantics.sign(r) }

    private static func apply(_ op: Op, _ x: C, _ y: C, _ z: C, graph: Graph, id: NodeID, inputs: [NodeID: C]) -> C? {
        switch op {
        case .constant: return real(graph.constantValue(id)!)
        case .symbol: return inputs[id] ?? .zero
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        case .neg: return -x
        case .pow: return C.pow(x, y)
        case .powi:
            // The same products as ScalarSemantics.powi.
            let n = graph.powiExponent(id)
            var remaining = n.magnitude, base = x
            var result: C? = nil
            while true {
                if remaining & 1 == 1 { result = result.map { $0 * base } ?? base }
                remaining >>= 1
                if remaining == 0 { break }
                base = base * base
            }
            return n < 0 ? C(1, 0) / result! : result!
        case .sq: return x * x
        case .sqrt: return C.sqrt(x)
        case .exp: return C.exp(x)
        case .log: return C.log(x)
        case .sin: return C.sin(x)
        case .cos: return C.cos(x)
        case .tan: return C.tan(x)
        case .asin: return C.asin(x)
        case .acos: return C.acos(x)
        case .atan: return atan(x)
        case .atan2:
            // atan(x/y) on the branch of the real atan2 (quadrant from the real parts).
            let principal = atan(x / y)
            let shift = Double.atan2(y: x.real, x: y.real) - principal.real
            return C(principal.real + (shift / .pi).rounded() * .pi, principal.imaginary)
        case .sinh: return C.sinh(x)
        case .cosh: return C.cosh(x)
        case .tanh: return C.tanh(x)
        case .asinh: return C.asinh(x)
        case .acosh: return C.acosh(x)
        case .atanh: return C.atanh(x)
        case .abs: return x.real < 0 ? -x : x
        case .sign: return real(sign(x.real))
        case .copysign:
            let flip = (x.real.sign == .minus) != (y.real.sign == .minus)
            return flip ? -x : x
        case .floor: return real(x.real.rounded(.down))
        case .ceil: return real(x.real.rounded(.up))
        case .fmod: return x - real((x.real / y.real).rounded(.towardZero)) * y
        case .fmin: return (x.real <= y.real || y.real.isNaN) ? x : y
        case .fmax: return (x.real >= y.real || y.real.isNaN) ? x : y
        case .hypot: return C.sqrt(x * x + y * y)
        case .erf: return nil
        case .lt: return real(x.real < y.real ? 1 : 0)
        case .le: return real(x.real <= y.real ? 1 : 0)
        case .eq: return real(x.real == y.real ? 1 : 0)
        case .ne: return real(x.real != y.real ? 1 : 0)
        case .and: return real(x.real != 0 && y.real != 0 ? 1 : 0)
        case .or: return real(x.real != 0 || y.real != 0 ? 1 : 0)
        case .not: return real(x.real == 0 ? 1 : 0)
        case .ifElse: return x.real != 0 ? y : z
        }
    }
}

extension DerivativeCheck {
    /// Checks ∂f/∂x against complex-step differentiation, Im f(x + i·h·eⱼ)/h with h = 1e-20:
    /// no subtraction, so it is exact to rounding for every op with a complex formula. Returns
    /// nil when f uses an op without one (`erf`); use central differences there.
    public static func jacobianByComplexStep(of f: Matrix, wrt x: Matrix, at point: [Double],
                                             parameters: [(Matrix, [Double])] = []) throws -> Report? {
        let symbolic = try DiffGenAD.jacobian(of: f, wrt: x)
        var bindings: [(Matrix, [Double])] = [(x, point)]
        bindings += parameters
        let function = try Function("check", inputs: bindings.enumerated().map { ("in\($0.offset)", $0.element.0) },
                                    outputs: [("d", symbolic)])
        let j = try Interpreter(function).evaluate(bindings.map(\.1))[0]
        let graph = f.context.graph
        let h = 1e-20
        let m = f.count
        var reference = [Double](repeating: 0, count: m * x.count)
        for col in 0..<x.count {
            var inputs: [NodeID: ComplexEvaluation.C] = [:]
            for (symbols, values) in bindings {
                for (k, id) in symbols.ids.enumerated() { inputs[id] = Complex(values[k], 0) }
            }
            inputs[x.ids[col]] = Complex(point[col], h)
            guard let values = ComplexEvaluation.evaluate(graph, roots: f.ids, inputs: inputs) else { return nil }
            for row in 0..<m { reference[row + col * m] = values[row].imaginary / h }
        }
        return compareForCheck(j, reference, rows: m, method: "complex step")
    }
}
