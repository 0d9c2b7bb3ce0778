#if canImport(Glibc)
import Glibc
#endif
import DiffGenCore

/// Evaluates a `Function` in `Float` arithmetic, node by node, with the C library's float
/// functions: the reference float-mode C must match bit for bit (NaN as NaN). Written apart from
/// the library's `ScalarSemantics`, so the two check each other.
public func floatReference(_ function: Function, at inputs: [[Float]]) -> [[Float]] {
    let graph = function.context.graph
    var value = [Float](repeating: 0, count: graph.count)
    var isInput = [Bool](repeating: false, count: graph.count)
    for (port, values) in zip(function.inputs, inputs) {
        for (node, v) in zip(port.nodes, values) {
            value[node.index] = v
            isInput[node.index] = true
        }
    }
    for index in 0..<graph.count where !isInput[index] {
        let id = NodeID(index)
        let op = graph.op(id)
        func x(_ k: Int) -> Float { value[graph.operand(k, of: id).index] }
        let v: Float
        switch op {
        case .constant: v = Float(graph.constantValue(id)!)
        case .symbol: v = 0
        case .add: v = x(0) + x(1)
        case .sub: v = x(0) - x(1)
        case .mul: v = x(0) * x(1)
        case .div: v = x(0) / x(1)
        case .neg: v = -x(0)
        case .pow: v = powf(x(0), x(1))
        case .powi:
            // Square-and-multiply, lowest bit first (the products the C spells out).
            let n = graph.powiExponent(id)
            var remaining = n.magnitude, base = x(0)
            var result: Float? = nil
            while true {
                if remaining & 1 == 1 { result = result.map { $0 * base } ?? base }
                remaining >>= 1
                if remaining == 0 { break }
                base = base * base
            }
            v = n == 0 ? 1 : (n < 0 ? 1 / result! : result!)
        case .sq: v = x(0) * x(0)
        case .sqrt: v = sqrtf(x(0))
        case .exp: v = expf(x(0))
        case .log: v = logf(x(0))
        case .sin: v = sinf(x(0))
        case .cos: v = cosf(x(0))
        case .tan: v = tanf(x(0))
        case .asin: v = asinf(x(0))
        case .acos: v = acosf(x(0))
        case .atan: v = atanf(x(0))
        case .atan2: v = atan2f(x(0), x(1))
        case .sinh: v = sinhf(x(0))
        case .cosh: v = coshf(x(0))
        case .tanh: v = tanhf(x(0))
        case .asinh: v = asinhf(x(0))
        case .acosh: v = acoshf(x(0))
        case .atanh: v = atanhf(x(0))
        case .abs: v = fabsf(x(0))
        case .sign: v = x(0) > 0 ? 1 : (x(0) < 0 ? -1 : x(0))
        case .copysign: v = copysignf(x(0), x(1))
        case .floor: v = floorf(x(0))
        case .ceil: v = ceilf(x(0))
        case .fmod: v = fmodf(x(0), x(1))
        case .fmin: v = (x(0) <= x(1) || x(1).isNaN) ? x(0) : x(1)
        case .fmax: v = (x(0) >= x(1) || x(1).isNaN) ? x(0) : x(1)
        case .hypot: v = hypotf(x(0), x(1))
        case .erf: v = erff(x(0))
        case .lt: v = x(0) < x(1) ? 1 : 0
        case .le: v = x(0) <= x(1) ? 1 : 0
        case .eq: v = x(0) == x(1) ? 1 : 0
        case .ne: v = x(0) != x(1) ? 1 : 0
        case .and: v = (x(0) != 0 && x(1) != 0) ? 1 : 0
        case .or: v = (x(0) != 0 || x(1) != 0) ? 1 : 0
        case .not: v = x(0) == 0 ? 1 : 0
        case .ifElse: v = x(0) != 0 ? x(1) : x(2)
        }
        value[index] = v
    }
    return function.outputs.map { port in port.nodes.map { value[$0.index] } }
}

/// Floats agree: the same bits, or both NaN (C does not carry a NaN's sign or payload).
public func sameFloat(_ a: Float, _ b: Float) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}

/// Doubles agree: the same bits, or both NaN.
public func sameBits(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}
