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

    private func call(_ name: StaticString, _ x: [UInt8], _ y: [UInt8]? = nil, into w: inout CWriter) {
        w.write(name)
        if real == .float { w.write("f") }
        w.write("(")
        w.write(bytes: x)
        if let y {
            w.write(", ")
            w.write(bytes: y)
        }
        w.write(")")
    }

    private func binary(_ x: [UInt8], _ symbol: StaticString, _ y: [UInt8], into w: inout CWriter) {
        w.write(bytes: x)
        w.write(symbol)
        w.write(bytes: y)
    }

    private func truth(_ x: [UInt8], _ symbol: StaticString, _ y: [UInt8], into w: inout CWriter) {
        w.write("(casadi_real)(")
        binary(x, symbol, y, into: &w)
        w.write(")")
    }

    /// Writes the C expression computing `op` on already-spelled operands `x`, `y`, `z`.
    func write(_ op: Op, _ x: [UInt8], _ y: [UInt8], _ z: [UInt8], literal n: Int32, into w: inout CWriter) {
        switch op {
        case .constant, .symbol:
            preconditionFailure("\(op.name) is an operand, not an operation")
        case .add: binary(x, " + ", y, into: &w)
        case .sub: binary(x, " - ", y, into: &w)
        case .mul: binary(x, " * ", y, into: &w)
        case .div: binary(x, " / ", y, into: &w)
        case .neg:
            w.write("-")
            w.write(bytes: x)
        case .pow: call("pow", x, y, into: &w)
        case .powi: w.write(text: powi(String(decoding: x, as: UTF8.self), n))
        case .sq: binary(x, " * ", x, into: &w)
        case .sqrt: call("sqrt", x, into: &w)
        case .exp: call("exp", x, into: &w)
        case .log: call("log", x, into: &w)
        case .sin: call("sin", x, into: &w)
        case .cos: call("cos", x, into: &w)
        case .tan: call("tan", x, into: &w)
        case .asin: call("asin", x, into: &w)
        case .acos: call("acos", x, into: &w)
        case .atan: call("atan", x, into: &w)
        case .atan2: call("atan2", x, y, into: &w)
        case .sinh: call("sinh", x, into: &w)
        case .cosh: call("cosh", x, into: &w)
        case .tanh: call("tanh", x, into: &w)
        case .asinh: call("asinh", x, into: &w)
        case .acosh: call("acosh", x, into: &w)
        case .atanh: call("atanh", x, into: &w)
        case .abs:
            if conditionalsForMinMax {
                // NOTE: keeps fabs's value except fabs(-0.0) = +0.0 (the two compare equal).
                w.write("(")
                binary(x, " < 0 ? -", x, into: &w)
                w.write(" : ")
                w.write(bytes: x)
                w.write(")")
            } else {
                call("fabs", x, into: &w)
            }
        case .sign:
            w.write("(")
            binary(x, " > 0 ? ", Array(literal(1).utf8), into: &w)
            w.write(" : (")
            binary(x, " < 0 ? ", Array(literal(-1).utf8), into: &w)
            w.write(" : ")
            w.write(bytes: x)
            w.write("))")
        case .copysign: call("copysign", x, y, into: &w)
        case .floor: call("floor", x, into: &w)
        case .ceil: call("ceil", x, into: &w)
        case .fmod: call("fmod", x, y, into: &w)
        case .fmin, .fmax:
            if conditionalsForMinMax {
                // C99 fmin/fmax return the other operand when one is NaN; so does this.
                w.write("((")
                binary(x, op == .fmin ? " <= " : " >= ", y, into: &w)
                w.write(" || ")
                binary(y, " != ", y, into: &w)
                w.write(") ? ")
                binary(x, " : ", y, into: &w)
                w.write(")")
            } else {
                call(op == .fmin ? "fmin" : "fmax", x, y, into: &w)
            }
        case .hypot: call("hypot", x, y, into: &w)
        case .erf: call("erf", x, into: &w)
        case .lt: truth(x, " < ", y, into: &w)
        case .le: truth(x, " <= ", y, into: &w)
        case .eq: truth(x, " == ", y, into: &w)
        case .ne: truth(x, " != ", y, into: &w)
        case .and:
            w.write("(casadi_real)(")
            binary(x, " != 0 && ", y, into: &w)
            w.write(" != 0)")
        case .or:
            w.write("(casadi_real)(")
            binary(x, " != 0 || ", y, into: &w)
            w.write(" != 0)")
        case .not:
            w.write("(casadi_real)(")
            w.write(bytes: x)
            w.write(" == 0)")
        case .ifElse:
            w.write("(")
            binary(x, " != 0 ? ", y, into: &w)
            w.write(" : ")
            w.write(bytes: z)
            w.write(")")
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
