/// A C template from `Templates/`: text with `{{placeholder}}` holes.
///
/// Rendering is strict: a placeholder without a value, or a value without a placeholder, is an
/// error, so templates and the code that fills them cannot drift apart silently.
struct Template {
    let name: String
    let bytes: [UInt8]

    /// The template `name` from the embedded copy of `Templates/`.
    static func named(_ name: String) throws -> Template {
        guard let text = EmbeddedTemplates.files[name] else { throw CodegenError.missingTemplate(name) }
        return Template(name: name, bytes: Array(text.utf8))
    }

    func render(_ values: [String: String]) throws -> String {
        var out = CWriter(capacity: bytes.count + values.values.reduce(0) { $0 + $1.utf8.count })
        try render(values, into: &out)
        return out.text
    }

    /// Renders onto the end of `out`.
    func render(_ values: [String: any TemplateValue], into out: inout CWriter) throws {
        var used = Set<String>()
        let brace = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var i = 0, literalStart = 0
        let n = bytes.count
        while i + 1 < n {
            guard bytes[i] == brace, bytes[i + 1] == brace else {
                i += 1
                continue
            }
            var j = i + 2
            while j + 1 < n && !(bytes[j] == close && bytes[j + 1] == close) { j += 1 }
            guard j + 1 < n else { break }  // an unclosed "{{" is literal text
            let key = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
            guard let value = values[key] else { throw CodegenError.missingPlaceholder(template: name, placeholder: key) }
            out.write(bytes: bytes, from: literalStart, to: i)
            value.write(into: &out)
            used.insert(key)
            i = j + 2
            literalStart = i
        }
        out.write(bytes: bytes, from: literalStart, to: n)
        // Sorted, so the first unused key reported is the same on every run.
        if let unused = values.keys.sorted().first(where: { !used.contains($0) }) {
            throw CodegenError.unusedValue(template: name, placeholder: unused)
        }
    }
}

/// A placeholder's value: text, or C already in a writer (large function bodies stay bytes
/// instead of becoming `String`s, each checked as UTF-8 again, on their way into the file).
protocol TemplateValue {
    func write(into out: inout CWriter)
}

extension String: TemplateValue {
    func write(into out: inout CWriter) { out.write(text: self) }
}

extension CWriter: TemplateValue {
    func write(into out: inout CWriter) { out.write(contentsOf: self) }
}
