import DiffGenCodegen
import DiffGenCore

extension MapProduct {
    /// A run of instances `first..<end` whose nonzero e goes to `base[e] + (k - first) * step[e]`.
    struct Segment {
        let first: Int, end: Int
        let base: [Int32], step: [Int32]
    }

    /// Most segments a placement may have: regular maps have one per boundary instance and one
    /// for the interior; more means the C would grow with the instance count.
    static let segmentLimit = 64

    /// Splits instance positions into runs where every nonzero moves by a fixed step per
    /// instance.
    static func segments(_ positions: [Int32], count: Int, instances: Int) -> [Segment] {
        var segments: [Segment] = []
        var first = 0
        while first < instances {
            let base = Array(positions[(first * count)..<((first + 1) * count)])
            var end = first + 1, step = [Int32](repeating: 0, count: count)
            if end < instances {
                for e in 0..<count { step[e] = positions[end * count + e] - base[e] }
                end += 1
                while end < instances && (0..<count).allSatisfy({ positions[end * count + $0] - positions[(end - 1) * count + $0] == step[$0] }) {
                    end += 1
                }
            }
            segments.append(Segment(first: first, end: end, base: base, step: step))
            first = end
        }
        return segments
    }

    /// C for this product: the helper once, and a driver looping over the instances, behind
    /// CasADi's interface (`name`, its ports the map's outer inputs and this product's outputs).
    /// - Throws: `MapError.irregular` when the placement needs too many segments, or
    ///   `CodegenError` for unusable names.
    public func generate(baseName: String, options: CodegenOptions = CodegenOptions()) throws -> GeneratedCode {
        let helpers = try CGenerator.helpers([helper], baseName: baseName, options: options)
        let counts = helper.outputs.map(\.count)
        let placements = try positions.indices.map { p in
            let segments = Self.segments(positions[p], count: counts[p], instances: map.count)
            guard segments.count <= Self.segmentLimit else { throw MapError.irregular(map: map.name, segments: segments.count) }
            return segments
        }
        let index = "long long"
        let helperWork = helpers.workSizes[0]
        var tables = "", loops = ""
        // Helper outputs live after the helper's own work.
        var offsets: [Int] = [], offset = helperWork
        for count in counts { offsets.append(offset); offset += count }
        for (p, pattern) in outputs.map(\.pattern).enumerated() {
            loops += "  for (e = 0; e < \(pattern.nonzeroCount); ++e) r\(p)[e] = 0;\n"
        }
        // One loop per run of instances sharing a placement (the union of all ports' runs).
        var cuts = Set([0, map.count])
        for segments in placements { for segment in segments { cuts.insert(segment.first) } }
        let bounds = cuts.sorted()
        let arguments = map.windows.map(\.pointer) + offsets.map { "t + \($0 - helperWork)" } + ["work"]
        for (run, (first, end)) in zip(bounds, bounds.dropFirst()).enumerated() {
            loops += "  for (k = \(first); k < \(end); ++k) {\n"
            loops += "    \(options.prefix)\(helper.name)_eval(\(arguments.joined(separator: ", ")));\n"
            for p in placements.indices {
                let segment = placements[p].first { $0.first <= first && first < $0.end }!
                let base = segment.base.indices.map { Int(segment.base[$0]) + (first - segment.first) * Int(segment.step[$0]) }
                let table = "\(name)_place\(run)_\(p)"
                tables += "  static const \(index) \(table)[\(2 * base.count)] = {"
                    + (base.map(String.init) + segment.step.map { String($0) }).joined(separator: ", ") + "};\n"
                loops += "    for (e = 0; e < \(base.count); ++e) r\(p)[\(table)[e] + (k - \(first)) * \(table)[\(base.count) + e]] += t[\(offsets[p] - helperWork) + e];\n"
            }
            loops += "  }\n"
        }
        let body = tables + "  \(index) k, e;\n  double* t = work + \(helperWork);\n" + loops
        let signature = "map of \(helper.name) over \(map.count) instances"
        let driver = Driver(name: name, ports: portLayout, signature: signature, body: body, work: offset)
        return try CGenerator.generate(driver: driver, helpers: helpers, baseName: baseName, options: options)
    }
}
