#if canImport(Glibc)
import Glibc
#endif

/// CPU time of the calling thread, in seconds (what the shared anchors are measured in).
func threadCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func wallTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Thread CPU seconds taken by `body`.
func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = threadCPUTime()
    try body()
    return threadCPUTime() - start
}

func median(_ samples: [Double]) -> Double {
    guard !samples.isEmpty else { return .nan }
    let sorted = samples.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// Resident set size now and its peak so far, in bytes, from /proc/self/status.
func residentMemory() -> (current: Int, peak: Int) {
    guard let file = fopen("/proc/self/status", "r") else { return (0, 0) }
    defer { fclose(file) }
    var current = 0, peak = 0
    var line = [CChar](repeating: 0, count: 256)
    while fgets(&line, Int32(line.count), file) != nil {
        let text = String(cString: line)
        let kilobytes = Int(text.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        if text.hasPrefix("VmRSS:") { current = kilobytes * 1024 }
        if text.hasPrefix("VmHWM:") { peak = kilobytes * 1024 }
    }
    return (current, peak)
}

/// Human-readable seconds.
func formatSeconds(_ s: Double) -> String {
    if s.isNaN { return "–" }
    if s >= 1 { return String(format3(s)) + " s" }
    if s >= 1e-3 { return String(format3(s * 1e3)) + " ms" }
    if s >= 1e-6 { return String(format3(s * 1e6)) + " µs" }
    return String(format3(s * 1e9)) + " ns"
}

/// Three significant digits.
func format3(_ x: Double) -> String {
    if !x.isFinite { return x.isNaN ? "–" : (x > 0 ? "∞" : "−∞") }
    let magnitude = x == 0 ? 0 : Int(log10(Swift.abs(x)).rounded(.down))
    let decimals = max(0, 2 - magnitude)
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([x]) { vsnprintf(&buffer, buffer.count, "%.\(decimals)f", $0) }
    return String(cString: buffer)
}
