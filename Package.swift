// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "DiffGen",
    products: [
        .library(name: "DiffGen", targets: ["DiffGen"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // Expression graph, front end, Function, interpreter. Depends on nothing.
        .target(name: "DiffGenCore"),
        // Sparsity patterns of derivatives and graph colorings.
        .target(name: "DiffGenSparsity", dependencies: ["DiffGenCore"]),
        // Forward and reverse mode, Jacobians, Hessians, derivative checks; compressed sweeps
        // from the colorings (so AD depends on Sparsity, not the other way round).
        .target(name: "DiffGenAD", dependencies: [
            "DiffGenCore", "DiffGenSparsity",
            .product(name: "ComplexModule", package: "swift-numerics"),
            .product(name: "RealModule", package: "swift-numerics"),
        ]),
        // Linearization, C emission from Templates/, CasADi-compatible and plain interfaces.
        .target(name: "DiffGenCodegen", dependencies: ["DiffGenCore"]),
        // libtcc as a system library: module map only.
        .systemLibrary(
            name: "CTCC",
            path: "Sources/CTCC",
            providers: [.apt(["libtcc-dev", "tcc"])]
        ),
        // The only code that calls libtcc: one lock, no headers, code pages we own.
        .target(
            name: "CTCCShim",
            dependencies: ["CTCC"],
            linkerSettings: [.linkedLibrary("tcc"), .linkedLibrary("dl"), .linkedLibrary("m"), .linkedLibrary("pthread")]
        ),
        // OpenSSL's libcrypto as a system library (SHA-256 of cached objects): module map only.
        .systemLibrary(
            name: "CCrypto",
            path: "Sources/CCrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // LAPACK through LAPACKE as a system library (examples, and tests of the in-graph solves).
        .systemLibrary(name: "CLAPACK", path: "Sources/CLAPACK", providers: [.apt(["liblapack-dev", "liblapacke-dev"])]),
        // Compile C in memory and call it; knows nothing of graphs (DiffGenCore only for its
        // atomic file writer).
        .target(name: "DiffGenJIT", dependencies: ["DiffGenCore", "CTCCShim", "CCrypto"]),
        // The model language: lexer, parser, located diagnostics, evaluator, printer.
        .target(name: "DiffGenModel", dependencies: ["DiffGenCore", "DiffGenAD", "DiffGenRepeat"]),
        // Repeated structure kept as loops: maps (and their derivatives) over one copy of a body.
        .target(name: "DiffGenRepeat", dependencies: ["DiffGenCore", "DiffGenAD", "DiffGenCodegen"]),
        // URDF robots: reader, kinematic chains, geometric Jacobians.
        .target(name: "DiffGenRobotics", dependencies: ["DiffGenCore", "DiffGenAD"]),
        // Umbrella: re-exports the pipeline stages.
        .target(name: "DiffGen", dependencies: ["DiffGenCore", "DiffGenSparsity", "DiffGenAD", "DiffGenCodegen", "DiffGenJIT", "DiffGenModel", "DiffGenRobotics", "DiffGenRepeat"]),
        // The reference problems of shared/bench/PROBLEMS.md in the DSL (bench, demo, tests).
        .target(name: "ReferenceProblems", dependencies: ["DiffGen"], path: "Benchmarks/ReferenceProblems"),
        // The command-line tool: one file per subcommand, no logic the library lacks.
        .executableTarget(
            name: "diffgen",
            dependencies: ["DiffGen", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "embedded", dependencies: ["DiffGen"], path: "examples/Embedded", exclude: ["arm-none-eabi.cmake"]),
        .executableTarget(name: "robot-arm", dependencies: ["DiffGen", "CLAPACK", "ReferenceProblems"], path: "examples/RobotArm"),
        // The tutorial's lessons (a library so tests check what the example prints) and the example.
        .target(name: "TutorialLessons", dependencies: ["DiffGen", "CLAPACK"], path: "examples/Tutorial/Lessons"),
        .executableTarget(name: "tutorial", dependencies: ["DiffGen", "TutorialLessons"], path: "examples/Tutorial", exclude: ["Lessons"]),
        // The MPC example's controller (a library so tests check it) and the example.
        .target(name: "CartPoleMPC", dependencies: ["DiffGen", "CLAPACK"], path: "examples/MPCCartPole/Controller"),
        .executableTarget(name: "mpc-cartpole", dependencies: ["DiffGen", "CartPoleMPC"], path: "examples/MPCCartPole", exclude: ["Controller", "casadi_twin.py"]),
        .executableTarget(name: "demo", dependencies: ["DiffGen", "ReferenceProblems"], path: "examples/Demo"),
        .executableTarget(
            name: "diffgen-bench",
            dependencies: [
                "DiffGen",
                "ReferenceProblems",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/diffgen-bench"
        ),
        .target(name: "DiffGenTestSupport", dependencies: ["DiffGenCore", "MallocCounting"], path: "Tests/DiffGenTestSupport"),
        // Interposes malloc in the test executable to prove allocation-free calls.
        .target(name: "MallocCounting", path: "Tests/MallocCounting"),
        .testTarget(name: "DiffGenCoreTests", dependencies: ["DiffGenCore", "DiffGenTestSupport", "ReferenceProblems"]),
        .testTarget(name: "DiffGenADTests", dependencies: ["DiffGenAD", "DiffGenTestSupport", "ReferenceProblems"]),
        .testTarget(name: "DiffGenCodegenTests", dependencies: ["DiffGen", "DiffGenTestSupport", "ReferenceProblems"], exclude: ["Clients", "Golden"]),
        .testTarget(name: "CTCCTests", dependencies: ["CTCCShim"]),
        .testTarget(name: "DiffGenModelTests", dependencies: ["DiffGen", "DiffGenTestSupport", "ReferenceProblems"]),
        .testTarget(name: "DiffGenRoboticsTests", dependencies: ["DiffGen", "DiffGenTestSupport", "CLAPACK", "ReferenceProblems"],
                    exclude: ["Clients"], resources: [.copy("URDFs")]),
        // Runs the built `diffgen` binary end to end (it is built with the tests).
        .testTarget(name: "DiffGenCLITests", dependencies: ["DiffGen", "DiffGenTestSupport", "ReferenceProblems"], exclude: ["Clients"]),
        .testTarget(
            name: "DiffGenSparsityTests",
            dependencies: ["DiffGen", "DiffGenTestSupport", "ReferenceProblems"],
            resources: [.copy("Patterns")]
        ),
        .testTarget(name: "TutorialTests", dependencies: ["TutorialLessons", "DiffGen", "DiffGenTestSupport"], exclude: ["Clients"]),
        .testTarget(name: "CartPoleMPCTests", dependencies: ["CartPoleMPC", "DiffGen", "CLAPACK", "DiffGenTestSupport"]),
        .testTarget(name: "DiffGenJITTests", dependencies: ["DiffGen", "DiffGenTestSupport", "ReferenceProblems"]),
    ]
)
