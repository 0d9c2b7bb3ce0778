import DiffGenCore

/// Where a body input reads its entries in instance k of a map: entries
/// `offset + k*stride ..< offset + k*stride + size` of outer input `input` (stride 0: shared by
/// every instance).
public struct Window: Sendable, Equatable {
    public let input: Int
    public let offset: Int
    public let stride: Int

    public init(input: Int, offset: Int = 0, stride: Int) {
        (self.input, self.offset, self.stride) = (input, offset, stride)
    }

    /// The same entries in every instance (parameters).
    public static func shared(_ input: Int, offset: Int = 0) -> Window { Window(input: input, offset: offset, stride: 0) }

    /// C for where instance `k` reads: `x{input} + offset + k * stride`.
    var pointer: String { "x\(input) + \(offset)" + (stride == 0 ? "" : " + k * \(stride)") }
}

/// Why a map cannot be built.
public enum MapError: Error, CustomStringConvertible, Equatable {
    case noInstances(map: String)
    case windowCount(map: String, expected: Int, got: Int)
    case unknownInput(map: String, bodyInput: Int, input: Int)
    case windowOutOfRange(map: String, bodyInput: Int, lastEntry: Int, inputSize: Int)
    case invalidOutput(map: String, output: Int)
    case invalidInput(map: String, input: Int)
    case notScalarSum(map: String, output: Int)
    case irregular(map: String, segments: Int)

    public var description: String {
        switch self {
        case .noInstances(let m): return "map \(m): count must be at least 1"
        case .windowCount(let m, let expected, let got): return "map \(m): the body has \(expected) inputs, \(got) windows were given"
        case .unknownInput(let m, let b, let i): return "map \(m): body input \(b) reads outer input \(i), which does not exist"
        case .windowOutOfRange(let m, let b, let last, let size):
            return "map \(m): body input \(b) reads entry \(last) in its last instance, but its outer input has \(size) entries"
        case .invalidOutput(let m, let k): return "map \(m): no output \(k)"
        case .invalidInput(let m, let k): return "map \(m): no input \(k)"
        case .notScalarSum(let m, let k): return "map \(m): a Hessian needs a scalar body output summed over instances (output \(k))"
        case .irregular(let m, let segments):
            return "map \(m): its derivative's entries follow no regular pattern across instances (\(segments) segments); use the flat path"
        }
    }
}

/// A body function applied `count` times as one C loop over one copy of its code (CasADi's
/// `map`, JAX's `vmap`), instance k reading windows of the outer inputs: overlapping windows
/// express stencils such as a chained sum over `(x[k], x[k+1])`, stride-0 windows shared
/// parameters. Outputs are the instances' outputs side by side (`stack`: body output rows ×
/// cols·count, instance-major) or their sum (`sum`).
///
/// Its derivatives are maps of the body's derivatives placed block by block: the Jacobian of a
/// stacked output has the body's pattern once per instance, and the Hessian of a summed scalar
/// adds the body's Hessian blocks where windows overlap. Sparsity patterns are exact; the C stays
/// the same size whatever `count` is, when the placement is regular (affine in k over a few
/// segments, as for every stencil).
public struct MappedFunction {
    public enum Reduction: Sendable { case stack, sum }

    public let name: String
    public let body: Function
    public let count: Int
    public let inputs: [(name: String, size: Int)]
    public let windows: [Window]
    public let reduction: Reduction

    /// - Throws: `MapError` when windows do not fit the body or the outer inputs.
    public init(_ name: String, body: Function, count: Int, inputs: [(String, Int)], windows: [Window],
                reduction: Reduction = .stack) throws {
        guard count >= 1 else { throw MapError.noInstances(map: name) }
        guard windows.count == body.inputs.count else {
            throw MapError.windowCount(map: name, expected: body.inputs.count, got: windows.count)
        }
        for (b, window) in windows.enumerated() {
            guard inputs.indices.contains(window.input) else { throw MapError.unknownInput(map: name, bodyInput: b, input: window.input) }
            let last = window.offset + (count - 1) * window.stride + body.inputs[b].count - 1
            guard window.offset >= 0, window.stride >= 0, last < inputs[window.input].1 else {
                throw MapError.windowOutOfRange(map: name, bodyInput: b, lastEntry: last, inputSize: inputs[window.input].1)
            }
        }
        (self.name, self.body, self.count, self.windows, self.reduction) = (name, body, count, windows, reduction)
        self.inputs = inputs.map { (name: $0.0, size: $0.1) }
    }

    /// Outer index of entry `a` of body input `b` in instance `k`.
    func outerIndex(bodyInput b: Int, entry a: Int, instance k: Int) -> Int {
        windows[b].offset + k * windows[b].stride + a
    }
}
