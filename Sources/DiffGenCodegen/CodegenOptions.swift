/// How C is generated.
public struct CodegenOptions: Sendable {
    public enum RealType: Sendable { case double, float }
    /// The C integer type of sparsity arrays and sizes behind CasADi's interface (`casadi_int`).
    public enum IndexType: String, Sendable {
        /// CasADi's default: what `casadi.external` loads.
        case longLong = "long long int"
        /// `int`: what acados' generated code and CasADi built with `casadi_int=int` expect.
        case int = "int"
    }
    public enum Interface: Sendable {
        /// CasADi's external-function ABI: what `casadi.external()` and acados load.
        case casadi
        /// `void NAME(const real* in0, …, real* out0, …, real* work)` for embedded users.
        case plain
    }
    public enum Compiler: Sendable {
        /// gcc, clang or any C99 compiler with `<math.h>`.
        case standard
        /// tcc / libtcc in memory: no headers (prototypes instead), conditionals for fabs/fmin/fmax.
        case tcc
    }

    /// The arithmetic: `double` (default) or `float` (`1.5f`, `sinf`, every step rounded to
    /// float). Behind the plain interface a float function takes `float*`; behind CasADi's, which
    /// loads only double, it keeps `double*` ports: inputs are rounded to float where they are
    /// read and outputs widened (exactly) where they are stored.
    public var real: RealType = .double
    /// The C type of CasADi's sparsity arrays and sizes. JIT-compiled code is internal and always
    /// uses `.longLong`.
    public var indexType: IndexType = .longLong
    public var interface: Interface = .casadi
    public var compiler: Compiler = .standard
    /// Prepended to every exported symbol, so several generated files link together.
    public var prefix = ""
    /// For gcc/clang (`compiler == .standard`): a function with more operations than this is
    /// split into several C functions of at most this many, called in order, when it keeps
    /// more than 64 values live at once or has over 20 000 operations. gcc -O2 time then grows
    /// linearly with size instead of super-linearly, and the code runs faster (measured on the
    /// reference Hessians: part sizes of 100–200 were best). `nil`: never split. tcc code is
    /// never split (it does no work across statements anyway).
    public var maxStatementsPerFunction: Int? = 200
    /// Everything `static inline` in the header; no source file.
    public var headerOnly = false
    /// Adds a `main()` that reads inputs from stdin and prints outputs (17 significant digits).
    public var withMain = false
    /// Also writes a `Makefile` and a `CMakeLists.txt` that build the source into a static
    /// library, for the host or (with the usual CC/AR or toolchain-file settings) a cross target.
    public var withBuildFiles = false
    /// Also emits `NAME_batch(arg, res, n, stride, w)` for each function (CasADi's interface
    /// only): n points per call, entry k of port i for point p at `arg[i][k*stride + p]`, with
    /// `NAME_batch_work()` doubles of work. For gcc/clang the points go through the code this
    /// many at a time as vector lanes (8 suits AVX2 and NEON); results equal single calls' bit
    /// for bit. `nil`: no batched entry.
    public var batchLanes: Int? = nil
    /// How batched code computes library functions (sin, exp, …).
    public enum BatchMath: Sendable {
        /// The scalar C library function for every lane: results equal single calls' bit for bit.
        case exact
        /// With gcc on x86-64 glibc (2.35 or later), the vector versions of glibc's libmvec,
        /// several lanes per call: within those functions' accuracy (at most 4 ulp each, so
        /// results may differ from single calls in the last bits). Elsewhere as `exact`. gcc 12
        /// calls the vector versions of sin, cos, tan, tanh and the other functions that set no
        /// errno for finite arguments; exp, log, pow and atan2 stay scalar per lane unless the
        /// file is built with `-fno-math-errno`, which the JIT does not use (gcc then folds
        /// math calls on constants with correctly rounded values that differ from glibc's).
        case vector
    }
    public var batchMath: BatchMath = .exact

    public init() {}
}

/// Why C could not be generated or written.
public enum CodegenError: Error, CustomStringConvertible, Equatable {
    case invalidIdentifier(String, reason: String)
    case nameClash(String, first: String, second: String)
    case missingTemplate(String)
    case missingPlaceholder(template: String, placeholder: String)
    case unusedValue(template: String, placeholder: String)
    case unwritable(path: String, reason: String)
    case noFunctions
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidIdentifier(let name, let reason): return "'\(name)' cannot name a C function: \(reason)"
        case .nameClash(let name, let first, let second): return "\(second) would define the C name '\(name)', which \(first) defines already"
        case .missingTemplate(let name): return "no template named '\(name)'"
        case .missingPlaceholder(let template, let placeholder): return "template '\(template)' uses {{\(placeholder)}}, which was not given"
        case .unusedValue(let template, let placeholder): return "template '\(template)' has no {{\(placeholder)}}, but a value was given for it"
        case .unwritable(let path, let reason): return "cannot write \(path): \(reason)"
        case .noFunctions: return "nothing to generate: no functions were given"
        case .unsupported(let what): return what
        }
    }
}
