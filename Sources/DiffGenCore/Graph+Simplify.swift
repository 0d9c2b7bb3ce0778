// Construction-time simplification. Every rule below gives the same value as the expression it
// replaces for every input, Inf and NaN included, except where marked:
//   [sign0]  may change only the sign of a zero result (accepted, see SimplificationPolicy);
//   [finite] applied only under `.assumeFinite` (wrong for some Inf/NaN input).
// Constant operands fold through `ScalarSemantics`, the same code that evaluates, so a folded
// node is bit-identical to evaluating it.

extension Graph {
    /// The node `op(x)` for a one-operand op, after simplification.
    public mutating func make(_ op: Op, _ x: NodeID) -> NodeID {
        precondition(op.operandCount == 1 && op != .powi, "\(op.name) does not take one operand")
        if let value = constantValue(x) {
            return constant(ScalarSemantics.evaluate(op, value, 0, 0, literal: 0))
        }
        if let rewritten = rewriteUnary(op, x) { return rewritten }
        return intern(op, x.raw, 0, 0)
    }

    /// The node `op(x, y)` for a two-operand op, after simplification.
    public mutating func make(_ op: Op, _ x: NodeID, _ y: NodeID) -> NodeID {
        precondition(op.operandCount == 2, "\(op.name) does not take two operands")
        // An integral constant exponent means repeated multiplication, for constant bases too,
        // so folding agrees with evaluation.
        if op == .pow, let vy = constantValue(y), vy == vy.rounded(),
           vy.magnitude <= Double(ScalarSemantics.maxPowiExponent) {
            return powi(x, Int32(vy))
        }
        let (opX, opY) = (nodes[x.index].op, nodes[y.index].op)
        // Every rule below needs a constant or negated operand, or equal operands.
        let mayRewrite = x == y || opX == .constant || opY == .constant || opX == .neg || opY == .neg
        if mayRewrite {
            if let vx = constantValue(x), let vy = constantValue(y) {
                return constant(ScalarSemantics.evaluate(op, vx, vy, 0, literal: 0))
            }
            if let rewritten = rewriteBinary(op, x, y) { return rewritten }
        }
        if op.isCommutative && y < x { return intern(op, y.raw, x.raw, 0) }
        return intern(op, x.raw, y.raw, 0)
    }

    /// The node `ifElse(condition, then, otherwise)`, after simplification.
    public mutating func ifElse(_ condition: NodeID, _ then: NodeID, _ otherwise: NodeID) -> NodeID {
        if let value = constantValue(condition) { return value != 0 ? then : otherwise }
        if then == otherwise { return then }
        if op(condition) == .not {
            return ifElse(operand(0, of: condition), otherwise, then)
        }
        return intern(.ifElse, condition.raw, then.raw, otherwise.raw)
    }

    /// The node `x^n` for a literal integer `n`.
    ///
    /// `|n|` above `ScalarSemantics.maxPowiExponent` becomes `pow(x, n)`.
    public mutating func powi(_ x: NodeID, _ n: Int32) -> NodeID {
        if n.magnitude > ScalarSemantics.maxPowiExponent.magnitude {
            return make(.pow, x, constant(Double(n)))
        }
        if let value = constantValue(x) { return constant(ScalarSemantics.powi(value, n)) }
        switch n {
        case 0: return constant(1)  // x^0 = 1 for every x, NaN included (C99 pow)
        case 1: return x
        case 2: return make(.sq, x)
        default: return intern(.powi, x.raw, n, 0)
        }
    }

    // MARK: - Rules

    private func negated(_ id: NodeID) -> NodeID? {
        op(id) == .neg ? operand(0, of: id) : nil
    }

    private func isZero(_ id: NodeID) -> Bool { constantValue(id) == 0 }

    private func isBooleanValued(_ id: NodeID) -> Bool {
        switch op(id) {
        case .lt, .le, .eq, .ne, .and, .or, .not: return true
        default: return false
        }
    }

    private mutating func rewriteUnary(_ op: Op, _ x: NodeID) -> NodeID? {
        let inner = self.op(x)
        switch op {
        case .neg:
            if let y = negated(x) { return y }  // -(-y) = y
            if inner == .sub {  // -(p - q) = q - p  [sign0]
                return make(.sub, operand(1, of: x), operand(0, of: x))
            }
            if inner == .mul {  // -(c·p) = (-c)·p
                let (p, q) = (operand(0, of: x), operand(1, of: x))
                if let vc = constantValue(p) { return make(.mul, constant(-vc), q) }
                if let vc = constantValue(q) { return make(.mul, p, constant(-vc)) }
            }
        case .sq:
            if let y = negated(x) { return make(.sq, y) }  // (-y)^2 = y^2
            if inner == .abs { return make(.sq, operand(0, of: x)) }  // |y|^2 = y^2
        case .abs:
            if let y = negated(x) { return make(.abs, y) }  // |-y| = |y|
            if inner == .abs || inner == .sq || inner == .exp || inner == .sqrt { return x }  // already >= 0 or NaN
        case .floor, .ceil, .sign:
            if inner == op { return x }  // idempotent
        case .not:
            if inner == .not, isBooleanValued(operand(0, of: x)) { return operand(0, of: x) }  // !!b = b for b in {0,1}
        case .constant, .symbol, .add, .sub, .mul, .div, .pow, .powi, .sqrt, .exp, .log,
             .sin, .cos, .tan, .asin, .acos, .atan, .atan2, .sinh, .cosh, .tanh, .asinh, .acosh,
             .atanh, .copysign, .fmod, .fmin, .fmax, .hypot, .erf, .lt, .le, .eq, .ne, .and, .or,
             .ifElse:
            break
        }
        return nil
    }

    private mutating func rewriteBinary(_ op: Op, _ x: NodeID, _ y: NodeID) -> NodeID? {
        let vx = constantValue(x), vy = constantValue(y)
        let finite = policy == .assumeFinite
        switch op {
        case .add:
            if vy == 0 { return x }  // x + 0 = x  [sign0]
            if vx == 0 { return y }
            if let ny = negated(y) {
                if let nx = negated(x) { return make(.neg, make(.add, nx, ny)) }  // -p + -q = -(p + q)
                return make(.sub, x, ny)  // p + (-q) = p - q
            }
            if let nx = negated(x) { return make(.sub, y, nx) }  // (-p) + q = q - p
        case .sub:
            if vy == 0 { return x }  // x - 0 = x  [sign0]
            if vx == 0 { return make(.neg, y) }  // 0 - y = -y  [sign0]
            if let ny = negated(y) { return make(.add, x, ny) }  // p - (-q) = p + q
            if let nx = negated(x) { return make(.neg, make(.add, nx, y)) }  // -p - q = -(p + q)
            if finite && x == y { return constant(0) }  // [finite]
        case .mul:
            if vy == 1 { return x }
            if vx == 1 { return y }
            if vy == -1 { return make(.neg, x) }
            if vx == -1 { return make(.neg, y) }
            if finite && (vx == 0 || vy == 0) { return constant(0) }  // [finite]
            if x == y { return make(.sq, x) }  // sq is defined as x*x
            // Push signs outward, where add/sub absorb them: (-p)q = -(pq), (-p)c = p(-c).
            if let nx = negated(x) {
                if let ny = negated(y) { return make(.mul, nx, ny) }
                if let vy { return make(.mul, nx, constant(-vy)) }
                return make(.neg, make(.mul, nx, y))
            }
            if let ny = negated(y) {
                if let vx { return make(.mul, constant(-vx), ny) }
                return make(.neg, make(.mul, x, ny))
            }
        case .div:
            if vy == 1 { return x }
            if vy == -1 { return make(.neg, x) }
            if let vy, let reciprocal = exactReciprocal(vy) {
                return make(.mul, x, constant(reciprocal))  // x / 2^k = x * 2^-k exactly
            }
            if let nx = negated(x) {  // (-p)/q = -(p/q); (-p)/(-q) = p/q
                if let ny = negated(y) { return make(.div, nx, ny) }
                return make(.neg, make(.div, nx, y))
            }
            if let ny = negated(y) { return make(.neg, make(.div, x, ny)) }
            if finite && x == y { return constant(1) }  // [finite]
            if finite && vx == 0 { return constant(0) }  // [finite]
        case .pow:
            if vx == 1 { return constant(1) }  // 1^y = 1 for every y, NaN included (C99 pow)
        case .copysign:
            if let vy {  // copysign(x, ±c) = ±|x|
                return vy.sign == .plus ? make(.abs, x) : make(.neg, make(.abs, x))
            }
        case .fmin, .fmax:
            if x == y { return x }
        case .and:
            if vx == 0 || vy == 0 { return constant(0) }
            if vy != nil { return make(.ne, x, constant(0)) }  // x && c (c != 0) = (x != 0)
            if vx != nil { return make(.ne, y, constant(0)) }
        case .or:
            if let vy { return vy != 0 ? constant(1) : make(.ne, x, constant(0)) }
            if let vx { return vx != 0 ? constant(1) : make(.ne, y, constant(0)) }
        case .constant, .symbol, .neg, .powi, .sq, .sqrt, .exp, .log, .sin, .cos, .tan, .asin,
             .acos, .atan, .atan2, .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .abs, .sign,
             .floor, .ceil, .fmod, .hypot, .erf, .lt, .le, .eq, .ne, .not, .ifElse:
            break
        }
        return nil
    }

    /// `1/c` when it is exact (c a power of two with a normal reciprocal), else `nil`.
    private func exactReciprocal(_ c: Double) -> Double? {
        guard c.isNormal, c.significandBitPattern == 0 else { return nil }
        let reciprocal = 1 / c
        return reciprocal.isNormal ? reciprocal : nil
    }
}
