import ArgumentParser
import DiffGen
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML page about the model's functions.",
        discussion: """
        For every function: its ports, operations as written out and after sharing, work memory, \
        time to callable and time per call through the JIT (for every loop: its ports, how it \
        repeats, its C size and the same times); for every sparse output, a spy plot \
        (SVG) with each nonzero colored by the color group of its column (column coloring for \
        Jacobians, star coloring for Hessians).
        """
    )

    @OptionGroup var model: ModelOptions
    @Option(name: .shortAndLong, help: "The HTML file to write.") var output: String

    func run() throws {
        let built = try model.load()
        var html = HTMLPage(title: "DiffGen report: \((model.model as NSString).lastPathComponent)")
        for function in built.functions {
            Progress.step("measuring \(function.name)")
            let start = DispatchTime.now().uptimeNanoseconds
            let native = try function.compiled()
            let callable = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            let inputs = function.inputs.map { [Double](repeating: 0.5, count: $0.count) }
            let perCall = try Bench.nanosecondsPerCall(native, inputs, 3)
            Progress.done()
            html.section(function.name)
            html.table([
                ["inputs", function.inputs.map { "\($0.name) \($0.rows)×\($0.cols)" }.joined(separator: ", ")],
                ["outputs", function.outputs.map { "\($0.name) \($0.rows)×\($0.cols)" }.joined(separator: ", ")],
                ["operations", "\(Info.treeSize(function)) as written out, \(function.operationCount) after sharing"],
                ["time to callable (libtcc)", Bench.format(callable)],
                ["time per call (tcc tier)", Bench.format(perCall * 1e-9)],
            ])
            for port in function.outputs { html.spyIfSparse(port.name, port.pattern) }
        }
        for loop in built.loops {
            Progress.step("measuring loop \(loop.name)")
            let start = DispatchTime.now().uptimeNanoseconds
            let native = try loop.compiled()
            let callable = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            let perCall = try Bench.nanosecondsPerCall(native, loop.inputPorts.map { [Double](repeating: 0.5, count: $0.size) }, 3)
            let source = try loop.generate(baseName: "report", options: CodegenOptions()).source!
            Progress.done()
            html.section("loop \(loop.name)")
            html.table([
                ["inputs", loop.inputPorts.map { "\($0.name) \($0.size)×1" }.joined(separator: ", ")],
                ["outputs", loop.outputPorts.map { "\($0.name) \($0.pattern.rows)×\($0.pattern.cols)" }.joined(separator: ", ")],
                ["repetition", loop.repetition],
                ["C", "\(source.utf8.count) bytes"],
                ["time to callable (libtcc)", Bench.format(callable)],
                ["time per call (tcc tier)", Bench.format(perCall * 1e-9)],
            ])
            for port in loop.outputPorts { html.spyIfSparse(port.name, port.pattern) }
        }
        do {
            try html.text.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw CommandFailure.input("cannot write \(output): \(error.localizedDescription)")
        }
        print("wrote \(output)")
    }
}

/// A self-contained HTML page: styles, tables and SVG figures inline, no external resource.
/// A small script marks each figure with how many of its marks the browser laid out
/// (`data-rendered`), beside how many it holds (`data-marks`).
struct HTMLPage {
    private var body = ""
    let title: String

    init(title: String) { self.title = title }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    mutating func section(_ name: String) { body += "<h2>\(Self.escape(name))</h2>\n" }

    mutating func table(_ rows: [[String]]) {
        body += "<table>\n" + rows.map { "<tr><th>\(Self.escape($0[0]))</th><td>\(Self.escape($0[1]))</td></tr>" }.joined(separator: "\n") + "\n</table>\n"
    }

    /// A spy plot of `pattern` when it is sparse: a symmetric one colored by its star coloring,
    /// any other by its column coloring.
    mutating func spyIfSparse(_ name: String, _ pattern: Pattern) {
        guard pattern.nonzeroCount < pattern.rows * pattern.cols && pattern.nonzeroCount > 0 else { return }
        let symmetric = pattern.rows == pattern.cols && pattern == pattern.transposed()
        let coloring = symmetric ? pattern.starColoring() : pattern.columnColoring()
        let caption = "\(name): \(pattern.nonzeroCount) nonzeros of \(pattern.rows)×\(pattern.cols), "
            + "\(coloring.count) \(symmetric ? "star" : "column") colors"
        spy(pattern, colors: coloring.colors.map(Int.init), caption: caption)
    }

    /// A spy plot: one square per nonzero, colored by its column's color group.
    mutating func spy(_ pattern: Pattern, colors: [Int], caption: String) {
        let cell = max(1.0, min(12.0, 600.0 / Double(max(pattern.rows, pattern.cols))))
        let (width, height) = (Double(pattern.cols) * cell, Double(pattern.rows) * cell)
        var svg = "<figure><svg class=\"spy\" data-marks=\"\(pattern.nonzeroCount)\" xmlns=\"http://www.w3.org/2000/svg\" "
            + "width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
            + "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#fafafa\" stroke=\"#999\"/>"
        for col in 0..<pattern.cols {
            // Golden-angle hues: neighbouring color groups look different.
            let hue = Double(colors[col] * 137 % 360)
            for k in Int(pattern.columnStarts[col])..<Int(pattern.columnStarts[col + 1]) {
                let row = Int(pattern.rowIndices[k])
                svg += "<rect class=\"nz\" x=\"\(Double(col) * cell)\" y=\"\(Double(row) * cell)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"hsl(\(hue),70%,45%)\"/>"
            }
        }
        body += svg + "</svg><figcaption>\(Self.escape(caption))</figcaption></figure>\n"
    }

    var text: String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}
        th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}figure{margin:1em 0}</style></head>
        <body><h1>\(Self.escape(title))</h1>
        \(body)<script>
        for (const svg of document.querySelectorAll("svg.spy")) {
          let laidOut = 0;
          for (const mark of svg.querySelectorAll("rect.nz")) {
            const box = mark.getBoundingClientRect();
            if (box.width > 0 && box.height > 0) laidOut++;
          }
          svg.setAttribute("data-rendered", String(laidOut));
        }
        </script></body></html>

        """
    }
}
