import DiffGenCore

/// How numbers, types and operations are spelled in the emitted C.
struct CDialect {
    let real: CodegenOptions.RealType
    /// tcc inlines nothing and has no builtins: spell `fabs` as a conditional.
    let conditionalsForMinMax: Bool
    /// Ports and the work array hold doubles while arithmetic is float (float behind CasADi's
    /// interface): values read from them are rounded to float where they are read.
    let storageIsDouble: Bool

    init(real: CodegenOptions.RealType, conditionalsForMinMax: Bool, storageIsDouble: Bool) {
        self.real = real
        self.conditionalsForMinMax = conditionalsForMinMax
        self.storageIsDouble = storageIsDouble || real == .double
    }

    /// The C type arithmetic is done in.
    var realName: String { real == .float ? "float" : "double" }
    /// The C type of input, output and work-array entries.
    var storageName: String { storageIsDouble ? "double" : "float" }
    /// Whether a value read from storage needs a `(float)` rounding.
    var convertsReads: Bool { storageIsDouble && real == .float }

    private var suffix: String { real == .float ? "f" : "" }

    /// The shortest literal that reads back to exactly `value` (as a double, or as a float in
    /// float mode); Inf and NaN as constant expressions every C99 compiler accepts. In float
    /// mode a double beyond float's range is the infinity it rounds to.
    func literal(_ value: Double) -> String {
        if value.isNaN { return real == .float ? "(0.0f/0.0f)" : "(0.0/0.0)" }
        let rounded = real == .float ? Double(Float(value)) : value
        if rounded.isInfinite { return rounded > 0 ? "(1.0\(suffix)/0.0\(suffix))" : "(-1.0\(suffix)/0.0\(suffix))" }
        var text = real == .float ? "\(Float(value))" : "\(value)"
        if !text.contains(".") && !text.contains("e") { text += ".0" }
        text += suffix
        return value.sign == .minus ? "(\(text))" : text
    }

    /// How a stored value (an input entry or a work-array slot) is read in an expression.
    func read(_ storage: String) -> String {
        convertsReads ? "(float)\(storage)" : storage
    }

    private func call(_ name: String, _ x: [UInt8], _ y: [UInt8]? = nil, into w: inout CWriter) {
        w.write(text: name)
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

    /// `(double)(` or `(float)(`: a comparison's 0 or 1 as a real.
    private func castOpen(into w: inout CWriter) {
        w.write(real == .float ? "(float)(" : "(double)(")
    }

    private func truth(_ x: [UInt8], _ symbol: StaticString, _ y: [UInt8], into w: inout CWriter) {
        castOpen(into: &w)
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
        case .pow: libraryCall(op, x, y, into: &w)
        case .powi: w.write(text: powi(String(decoding: x, as: UTF8.self), n))
        case .sq: binary(x, " * ", x, into: &w)
        case .sqrt: libraryCall(op, x, y, into: &w)
        case .exp: libraryCall(op, x, y, into: &w)
        case .log: libraryCall(op, x, y, into: &w)
        case .sin: libraryCall(op, x, y, into: &w)
        case .cos: libraryCall(op, x, y, into: &w)
        case .tan: libraryCall(op, x, y, into: &w)
        case .asin: libraryCall(op, x, y, into: &w)
        case .acos: libraryCall(op, x, y, into: &w)
        case .atan: libraryCall(op, x, y, into: &w)
        case .atan2: libraryCall(op, x, y, into: &w)
        case .sinh: libraryCall(op, x, y, into: &w)
        case .cosh: libraryCall(op, x, y, into: &w)
        case .tanh: libraryCall(op, x, y, into: &w)
        case .asinh: libraryCall(op, x, y, into: &w)
        case .acosh: libraryCall(op, x, y, into: &w)
        case .atanh: libraryCall(op, x, y, into: &w)
        case .abs:
            if conditionalsForMinMax {
                // fabs's value bit for bit (0 - (-0.0) is +0.0); only a NaN's sign may differ.
                w.write("(")
                w.write(bytes: x)
                w.write(text: " <= 0 ? \(literal(0)) - ")
                w.write(bytes: x)
                w.write(" : ")
                w.write(bytes: x)
                w.write(")")
            } else {
                libraryCall(op, x, y, into: &w)
            }
        case .sign:
            w.write("(")
            binary(x, " > 0 ? ", Array(literal(1).utf8), into: &w)
            w.write(" : (")
            binary(x, " < 0 ? ", Array(literal(-1).utf8), into: &w)
            w.write(" : ")
            w.write(bytes: x)
            w.write("))")
        case .copysign: libraryCall(op, x, y, into: &w)
        case .floor: libraryCall(op, x, y, into: &w)
        case .ceil: libraryCall(op, x, y, into: &w)
        case .fmod: libraryCall(op, x, y, into: &w)
        case .fmin, .fmax:
            // `ScalarSemantics.fmin`/`fmax` on every compiler: a tie returns the first operand,
            // a NaN operand loses.
            w.write("((")
            binary(x, op == .fmin ? " <= " : " >= ", y, into: &w)
            w.write(" || ")
            binary(y, " != ", y, into: &w)
            w.write(") ? ")
            binary(x, " : ", y, into: &w)
            w.write(")")
        case .hypot: libraryCall(op, x, y, into: &w)
        case .erf: libraryCall(op, x, y, into: &w)
        case .lt: truth(x, " < ", y, into: &w)
        case .le: truth(x, " <= ", y, into: &w)
        case .eq: truth(x, " == ", y, into: &w)
        case .ne: truth(x, " != ", y, into: &w)
        case .and:
            castOpen(into: &w)
            binary(x, " != 0 && ", y, into: &w)
            w.write(" != 0)")
        case .or:
            castOpen(into: &w)
            binary(x, " != 0 || ", y, into: &w)
            w.write(" != 0)")
        case .not:
            castOpen(into: &w)
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

    /// `name(x)` or `name(x, y)` for an op computed by the C library (`Op.cMathFunction`).
    private func libraryCall(_ op: Op, _ x: [UInt8], _ y: [UInt8], into w: inout CWriter) {
        call(op.cMathFunction!, x, op.operandCount == 2 ? y : nil, into: &w)
    }

    /// Every C library function emitted code may call, by its double-precision name (derived
    /// from `Op.cMathFunction`, plus `sincos`, which tcc code uses for a sine and cosine of one
    /// argument).
    static let mathFunctions: [String] = Op.allCases.compactMap(\.cMathFunction) + ["sincos"]

    /// Every C library symbol the JIT binds for tcc code: each math function in double and
    /// float.
    static let librarySymbols: [String] = mathFunctions.flatMap { [$0, $0 + "f"] }
}
