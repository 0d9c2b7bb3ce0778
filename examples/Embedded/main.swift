// The embedded example: the cart-pole step and its Jacobians A = ∂x⁺/∂x, B = ∂x⁺/∂u in float
// arithmetic with the plain interface, written to generated/embedded/ with a Makefile, a
// CMakeLists.txt and a Cortex-M4F toolchain file. `make test` cross-compiles it, checks that no
// double-precision symbol is linked, and compares it with the double path at 1000 states.
import DiffGen
import Foundation

let modelPath = FileManager.default.fileExists(atPath: "examples/models/cartpole.dg") ? "examples/models/cartpole.dg"
    : URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("models/cartpole.dg").path
let model = try Model(contentsOf: modelPath)
var options = CodegenOptions()
options.real = .float
options.interface = .plain
options.compiler = .tcc  // header-free: prototypes of the float math functions, no <math.h> needed
options.withBuildFiles = true
let code = try CGenerator.generate(model.functions, baseName: "cartpole_f32", options: options)
try code.write(to: "generated/embedded")
let toolchainPath = FileManager.default.fileExists(atPath: "examples/Embedded/arm-none-eabi.cmake") ? "examples/Embedded/arm-none-eabi.cmake"
    : URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("arm-none-eabi.cmake").path
let toolchainText = try String(contentsOfFile: toolchainPath, encoding: .utf8)
try toolchainText.write(toFile: "generated/embedded/arm-none-eabi.cmake", atomically: true, encoding: .utf8)
for function in model.functions {
    print("\(function.name): \(function.operationCount) operations, float, plain interface")
}
print("wrote generated/embedded/cartpole_f32.{c,h}, Makefile, CMakeLists.txt, arm-none-eabi.cmake")
