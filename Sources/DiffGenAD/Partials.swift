import DiffGenCore

/// Local partial derivatives of one node with respect to its operands, as graph nodes;
/// `nil` is a structural zero (no node is made for it).
struct Partials {
    var d0: NodeID?
    var d1: NodeID?
    var d2: NodeID?

    subscript(k: Int) -> NodeID? {
        switch k {
        case 0: return d0
        case 1: return d1
        default: return d2
        }
    }
}

extension Graph {
    /// The partials of node `id` with respect to its operands: the one rule per op that forward
    /// and reverse mode share (CasADi's `der`, JAX's rule table).
    ///
    /// Conventions at non-smooth points, documented for users:
    /// - `abs`: `sign(x)`, so 0 at x = 0; `sign`, `floor`, `ceil`, comparisons and logic: 0.
    /// - `fmin(x, y)`: the derivative goes to `x` when `x <= y` (ties to x), else to `y`;
    ///   `fmax(x, y)`: to `x` when `x >= y`, else to `y`.
    /// - `fmod(x, y)`: (1, −trunc(x/y)); `copysign(x, y)`: (sign(x)·copysign(1, y), 0).
    /// - `ifElse`, `fmin` and `fmax` are routed rather than multiplied: both modes send tangents
    ///   and adjoints to the chosen operand only, so nothing from the one not chosen leaks in
    ///   (see `Differentiator.selection`). Their entries here serve other users of the table.
    ///
    /// `wanted(k)` says whether the partial for operand k will be used; unwanted partials that
    /// would need new nodes are not built (they would be dead nodes in the graph).
    mutating func partials(of id: NodeID, wanted: (Int) -> Bool) -> Partials {
        let op = self.op(id)
        let (w0, w1) = (wanted(0), op.operandCount > 1 && wanted(1))
        let x = op.operandCount > 0 ? operand(0, of: id) : id
        let y = op.operandCount > 1 ? operand(1, of: id) : id
        func k(_ value: Double) -> NodeID { constant(value) }
        switch op {
        case .constant, .symbol, .ifElse:
            return Partials()
        case .add: return Partials(d0: k(1), d1: k(1))
        case .sub: return Partials(d0: k(1), d1: k(-1))
        case .mul: return Partials(d0: y, d1: x)
        case .div:  // d/dx = 1/y, d/dy = -(x/y)/y; with both wanted, -(x/y)·(1/y): one division
                    // fewer (a division costs several multiplications' time), within an ulp
            if w0 && w1 {
                let reciprocal = make(.div, k(1), y)
                return Partials(d0: reciprocal, d1: make(.neg, make(.mul, id, reciprocal)))
            }
            return Partials(d0: w0 ? make(.div, k(1), y) : nil, d1: w1 ? make(.neg, make(.div, id, y)) : nil)
        case .neg: return Partials(d0: k(-1))
        case .pow:  // d/dx = y·x^(y-1), d/dy = x^y·log(x), with log(x) read as 0 at x = 0 (as JAX
                    // does), so 0^y, which is flat in y for y > 0, gets 0 rather than 0·(−∞) = NaN
            let safeLog = w1 ? make(.log, ifElse(make(.eq, x, k(0)), k(1), x)) : x
            return Partials(d0: w0 ? make(.mul, y, make(.pow, x, make(.sub, y, k(1)))) : nil,
                            d1: w1 ? make(.mul, id, safeLog) : nil)
        case .powi:
            let n = powiExponent(id)
            return Partials(d0: make(.mul, k(Double(n)), powi(x, n - 1)))
        case .sq: return Partials(d0: make(.mul, k(2), x))
        case .sqrt: return Partials(d0: make(.div, k(0.5), id))
        case .exp: return Partials(d0: id)
        case .log: return Partials(d0: make(.div, k(1), x))
        case .sin: return Partials(d0: make(.cos, x))
        case .cos: return Partials(d0: make(.neg, make(.sin, x)))
        case .tan: return Partials(d0: make(.add, k(1), make(.sq, id)))
        case .asin: return Partials(d0: make(.div, k(1), make(.sqrt, make(.sub, k(1), make(.sq, x)))))
        case .acos: return Partials(d0: make(.div, k(-1), make(.sqrt, make(.sub, k(1), make(.sq, x)))))
        case .atan: return Partials(d0: make(.div, k(1), make(.add, k(1), make(.sq, x))))
        case .atan2:  // atan2(x, y) with x the numerator: (y, −x) / (x² + y²)
            let r2 = make(.add, make(.sq, x), make(.sq, y))
            return Partials(d0: w0 ? make(.div, y, r2) : nil, d1: w1 ? make(.neg, make(.div, x, r2)) : nil)
        case .sinh: return Partials(d0: make(.cosh, x))
        case .cosh: return Partials(d0: make(.sinh, x))
        case .tanh: return Partials(d0: make(.sub, k(1), make(.sq, id)))
        case .asinh: return Partials(d0: make(.div, k(1), make(.sqrt, make(.add, make(.sq, x), k(1)))))
        case .acosh:  // 1/(sqrt(x−1)·sqrt(x+1)) stays accurate near x = 1
            return Partials(d0: make(.div, k(1), make(.mul, make(.sqrt, make(.sub, x, k(1))), make(.sqrt, make(.add, x, k(1))))))
        case .atanh: return Partials(d0: make(.div, k(1), make(.sub, k(1), make(.sq, x))))
        case .abs: return Partials(d0: make(.sign, x))
        case .sign, .floor, .ceil, .lt, .le, .eq, .ne, .and, .or, .not:
            return Partials()
        case .copysign:
            return Partials(d0: w0 ? make(.mul, make(.sign, x), make(.copysign, k(1), y)) : nil)
        case .fmod:  // fmod(x, y) = x − trunc(x/y)·y
            guard w1 else { return Partials(d0: k(1)) }
            let q = make(.div, x, y)
            let trunc = ifElse(make(.lt, q, k(0)), make(.ceil, q), make(.floor, q))
            return Partials(d0: k(1), d1: make(.neg, trunc))
        case .fmin:
            let toX = make(.le, x, y)
            return Partials(d0: toX, d1: make(.not, toX))
        case .fmax:
            let toX = make(.le, y, x)
            return Partials(d0: toX, d1: make(.not, toX))
        case .hypot: return Partials(d0: w0 ? make(.div, x, id) : nil, d1: w1 ? make(.div, y, id) : nil)
        case .erf:  // 2/√π · exp(−x²)
            return Partials(d0: make(.mul, k(1.1283791670955126), make(.exp, make(.neg, make(.sq, x)))))
        }
    }
}
