/// A C template from `Templates/`: text with `{{placeholder}}` holes.
///
/// Rendering is strict: a placeholder without a value, or a value without a placeholder, is an
/// error, so templates and the code that fills them cannot drift apart silently.
struct Template {
    let name: String
    let text: String

    /// The template `name` from the embedded copy of `Templates/`.
    static func named(_ name: String) throws -> Template {
        guard let text = EmbeddedTemplates.files[name] else { throw CodegenError.missingTemplate(name) }
        return Template(name: name, text: text)
    }

    func render(_ values: [String: String]) throws -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + values.values.reduce(0) { $0 + $1.utf8.count })
        var used = Set<String>()
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            output += rest[rest.startIndex..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                output += rest[open.lowerBound...]
                rest = ""
                break
            }
            let key = String(rest[open.upperBound..<close.lowerBound])
            guard let value = values[key] else { throw CodegenError.missingPlaceholder(template: name, placeholder: key) }
            output += value
            used.insert(key)
            rest = rest[close.upperBound...]
        }
        output += rest
        // Sorted, so the first unused key reported is the same on every run.
        if let unused = values.keys.sorted().first(where: { !used.contains($0) }) {
            throw CodegenError.unusedValue(template: name, placeholder: unused)
        }
        return output
    }
}
