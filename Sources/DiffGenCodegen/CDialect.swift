import DiffGenCore

/// How numbers and operations are spelled in the emitted C.
struct CDialect {
    let real: CodegenOptions.RealType
    /// tcc inlines nothing and has no builtins: spell `fabs`, `fmin`, `fmax` as conditionals.
    let conditionalsForMinMax: Bool

    private var suffix: String { real == .float ? "f" : "" }

    /// The shortest literal that reads back to exactly `value` (as a double, or as a float in
    /// float mode); Inf and NaN as constant expressions every C99 compiler accepts.
    func literal(_ value: Double) -> String {
        if value.isNaN { return real == .float ? "(0.0f/0.0f)" : "(0.0/0.0)" }
        if value.isInfinite { return value > 0 ? "(1.0\(suffix)/0.0\(suffix))" : "(-1.0\(suffix)/0.0\(suffix))" }
        var text = real == .float ? "\(Float(value))" : "\(value)"
        if !text.contains(".") && !text.contains("e") && !text.contains("n") { text += ".0" }
        text += suffix
        return value.sign == .minus ? "(\(text))" : text
    }

    private func call(_ name: String, _ args: [String]) -> String {
        "\(name)\(suffix)(\(args.joined(separator: ", ")))"
    }

    private func truth(_ condition: String) -> String { "(casadi_real)(\(condition))" }

    /// The C expression computing `op` on already-spelled operands.
    func expression(_ op: Op, _ x: [String], literal n: Int32) -> String {
        switch op {
        case .constant, .symbol:
            preconditionFailure("\(op.name) is an operand, not an operation")
        case .add: return "\(x[0]) + \(x[1])"
        case .sub: return "\(x[0]) - \(x[1])"
        case .mul: return "\(x[0]) * \(x[1])"
        case .div: return "\(x[0]) / \(x[1])"
        case .neg: return "-\(x[0])"
        case .pow: return call("pow", x)
        case .powi: return powi(x[0], n)
        case .sq: return "\(x[0]) * \(x[0])"
        case .sqrt: return call("sqrt", x)
        case .exp: return call("exp", x)
        case .log: return call("log", x)
        case .sin: return call("sin", x)
        case .cos: return call("cos", x)
        case .tan: return call("tan", x)
        case .asin: return call("asin", x)
        case .acos: return call("acos", x)
        case .atan: return call("atan", x)
        case .atan2: return call("atan2", x)
        case .sinh: return call("sinh", x)
        case .cosh: return call("cosh", x)
        case .tanh: return call("tanh", x)
        case .asinh: return call("asinh", x)
        case .acosh: return call("acosh", x)
        case .atanh: return call("atanh", x)
        case .abs:
            // NOTE: the conditional keeps the sign rule of fabs except for -0.0 → -0.0 (compares equal).
            return conditionalsForMinMax ? "(\(x[0]) < 0 ? -\(x[0]) : \(x[0]))" : call("fabs", x)
        case .sign:
            return "(\(x[0]) > 0 ? \(literal(1)) : (\(x[0]) < 0 ? \(literal(-1)) : \(x[0])))"
        case .copysign: return call("copysign", x)
        case .floor: return call("floor", x)
        case .ceil: return call("ceil", x)
        case .fmod: return call("fmod", x)
        case .fmin:
            // C99 fmin returns the other operand when one is NaN; the conditional does too.
            return conditionalsForMinMax ? "((\(x[0]) <= \(x[1]) || \(x[1]) != \(x[1])) ? \(x[0]) : \(x[1]))" : call("fmin", x)
        case .fmax:
            return conditionalsForMinMax ? "((\(x[0]) >= \(x[1]) || \(x[1]) != \(x[1])) ? \(x[0]) : \(x[1]))" : call("fmax", x)
        case .hypot: return call("hypot", x)
        case .erf: return call("erf", x)
        case .lt: return truth("\(x[0]) < \(x[1])")
        case .le: return truth("\(x[0]) <= \(x[1])")
        case .eq: return truth("\(x[0]) == \(x[1])")
        case .ne: return truth("\(x[0]) != \(x[1])")
        case .and: return truth("\(x[0]) != 0 && \(x[1]) != 0")
        case .or: return truth("\(x[0]) != 0 || \(x[1]) != 0")
        case .not: return truth("\(x[0]) == 0")
        case .ifElse: return "(\(x[0]) != 0 ? \(x[1]) : \(x[2]))"
        }
    }

    /// `x^n` as the exact products `ScalarSemantics.powi` makes (square-and-multiply, lowest bit
    /// first), so compiled code matches the interpreter bit for bit.
    private func powi(_ x: String, _ n: Int32) -> String {
        var remaining = n.magnitude
        var base = x
        var result: String? = nil
        while true {
            if remaining & 1 == 1 { result = result.map { "(\($0) * \(base))" } ?? base }
            remaining >>= 1
            if remaining == 0 { break }
            base = "(\(base) * \(base))"
        }
        return n < 0 ? "\(literal(1)) / \(result!)" : result!
    }

    /// Names of the C math functions the emitted code may call, for prototypes in header-free mode.
    static let mathFunctions = ["pow", "sqrt", "exp", "log", "sin", "cos", "tan", "asin", "acos", "atan", "atan2",
                                "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "fabs", "copysign", "floor",
                                "ceil", "fmod", "fmin", "fmax", "hypot", "erf"]
}
