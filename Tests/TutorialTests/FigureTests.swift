import Foundation
import Testing
import DiffGenTestSupport

// The figures checked into generated/tutorial/ (and the mpc-cartpole example's) render in headless Chromium: each one, inlined in
// a page whose script counts the marks the browser laid out, has every mark laid out; and a
// screenshot of the file itself is not blank.

private let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
private let figures = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("generated")

@Test(arguments: ["tutorial/batch_jacobian_spy", "tutorial/hessian_spectrum", "tutorial/saddle", "tutorial/steepest_direction",
                  "tutorial/gauss_newton", "mpc-cartpole/closed_loop"])
func figureRendersInChromium(_ name: String) throws {
    try #require(CToolchain.available("chromium"), "chromium is missing; make test installs it")
    let svg = try String(contentsOf: figures.appendingPathComponent("\(name).svg"), encoding: .utf8)
    let declared = try #require(svg.firstMatch(of: try Regex(#"data-marks="(\d+)""#))?.output[1].substring.flatMap { Int($0) })
    #expect(declared > 0)
    let directory = try CToolchain.temporaryDirectory("figure-\(name.replacingOccurrences(of: "/", with: "-"))")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let page = """
    <!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
    \(svg)<script>
    const figure = document.querySelector("svg");
    let laidOut = 0;
    for (const mark of figure.querySelectorAll(".mark")) {
      const box = mark.getBoundingClientRect();
      if (box.width > 0 || box.height > 0) laidOut++;
    }
    figure.setAttribute("data-rendered", String(laidOut));
    </script></body></html>
    """
    try page.write(toFile: "\(directory)/page.html", atomically: true, encoding: .utf8)
    let chromium = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory)/profile"]
    let dom = try CToolchain.run(chromium + ["--dump-dom", "file://\(directory)/page.html"])
    try #require(dom.succeeded, "\(dom.errors)")
    let rendered = dom.output.firstMatch(of: try Regex(#"data-rendered="(\d+)""#))?.output[1].substring.flatMap { Int($0) }
    #expect(rendered == declared, "\(rendered ?? -1) of \(declared) marks laid out")
    let shot = try CToolchain.run(chromium + ["--screenshot=\(directory)/shot.png", "--window-size=820,560", figures.appendingPathComponent("\(name).svg").absoluteString])
    #expect(shot.succeeded, "\(shot.errors)")
    let ink = try CToolchain.run(["python3", here.appendingPathComponent("Clients/png_ink.py").path, "\(directory)/shot.png"])
    try #require(ink.succeeded, "\(ink.errors)")
    let fraction = try #require(Double(ink.output.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(fraction > 0.01, "only \(fraction) of the screenshot is drawn")
}
