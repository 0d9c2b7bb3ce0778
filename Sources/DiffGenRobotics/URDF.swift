import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A robot description read from URDF: links, and joints with their frames, axes, limits and
/// mimic relations. Numbers are kept exactly as written.
public struct URDF: Sendable {
    public enum JointType: String, Sendable { case revolute, continuous, prismatic, fixed }

    public struct Joint: Sendable {
        public let name: String
        public let type: JointType
        public let parent: String
        public let child: String
        /// The joint frame in the parent link's frame: translation, then roll-pitch-yaw (fixed
        /// axes x, y, z, so R = Rz(yaw)·Ry(pitch)·Rx(roll)).
        public let xyz: (Double, Double, Double)
        public let rpy: (Double, Double, Double)
        /// The motion axis in the joint frame, as written (nonzero; normalized where used).
        public let axis: (Double, Double, Double)
        public let lower: Double?
        public let upper: Double?
        /// `q = multiplier · q(joint) + offset`.
        public let mimic: (joint: String, multiplier: Double, offset: Double)?
        /// Where the joint was written (1-based line).
        public let line: Int
    }

    public let name: String
    public let links: [String]
    public let joints: [Joint]

    /// Reads URDF text.
    /// - Throws: `URDFError` naming the element (and line) that is malformed or missing.
    public init(text: String) throws {
        let reader = URDFReader()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        let parsed = parser.parse()
        if let error = reader.error { throw error }
        // XMLParser can report success and still record an error (an unclosed element).
        if !parsed || parser.parserError != nil {
            let code = (parser.parserError as NSError?)?.code ?? 0
            throw URDFError(line: max(1, parser.lineNumber), message: "malformed XML (XML parser error \(code))")
        }
        guard let robot = reader.robotName else { throw URDFError(line: 1, message: "no <robot> element") }
        name = robot
        links = reader.links.map(\.name)
        joints = reader.joints
        var seenLinks: [String: Int] = [:]
        for link in reader.links {
            if let first = seenLinks[link.name] {
                throw URDFError(line: link.line, message: "link '\(link.name)' is defined twice (first at line \(first))")
            }
            seenLinks[link.name] = link.line
        }
        var seenJoints: [String: Int] = [:]
        var parentOf: [String: String] = [:]
        for joint in joints {
            if let first = seenJoints[joint.name] {
                throw URDFError(line: joint.line, message: "joint '\(joint.name)' is defined twice (first at line \(first))")
            }
            seenJoints[joint.name] = joint.line
            for (role, link) in [("parent", joint.parent), ("child", joint.child)] where seenLinks[link] == nil {
                throw URDFError(line: joint.line, message: "joint '\(joint.name)': its \(role) link '\(link)' is not defined")
            }
            if let other = parentOf[joint.child] {
                throw URDFError(line: joint.line, message: "joint '\(joint.name)': link '\(joint.child)' already has parent link '\(other)'")
            }
            parentOf[joint.child] = joint.parent
        }
        for joint in joints where joint.mimic != nil && seenJoints[joint.mimic!.joint] == nil {
            throw URDFError(line: joint.line, message: "joint '\(joint.name)' mimics joint '\(joint.mimic!.joint)', which is not defined")
        }
    }
}

/// What is wrong with a URDF, and where.
public struct URDFError: Error, CustomStringConvertible, Equatable, Sendable {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

/// Collects URDF elements as XMLParser reports them (no recursion of ours: the parser is flat).
final class URDFReader: NSObject, XMLParserDelegate {
    var robotName: String?
    var links: [(name: String, line: Int)] = []
    var joints: [URDF.Joint] = []
    var error: URDFError?

    private struct Pending {
        var name: String, type: String, line: Int
        var parent: String?, child: String?
        var xyz = (0.0, 0.0, 0.0), rpy = (0.0, 0.0, 0.0), axis: (Double, Double, Double)? = nil
        var lower: Double?, upper: Double?
        var mimic: (String, Double, Double)?
    }
    private var joint: Pending?
    private var depthInLink = 0
    private weak var parser: XMLParser?

    private func fail(_ parser: XMLParser, _ message: String) {
        if error == nil { error = URDFError(line: parser.lineNumber, message: message) }
        parser.abortParsing()
    }

    private func numbers(_ text: String?, count: Int, _ what: String, _ parser: XMLParser) -> [Double]? {
        guard let text else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        let values = parts.compactMap { Double($0) }
        guard values.count == count, parts.count == count, values.allSatisfy(\.isFinite) else {
            fail(parser, "\(what) must be \(count) finite numbers, got '\(text)'")
            return nil
        }
        return values
    }

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard error == nil else { return }
        switch element {
        case "robot":
            guard let name = attributes["name"] else { return fail(parser, "<robot> has no name") }
            robotName = name
        case "link" where joint == nil:
            guard let name = attributes["name"] else { return fail(parser, "<link> has no name") }
            links.append((name, parser.lineNumber))
        case "joint":
            guard joint == nil else { return fail(parser, "<joint> inside <joint>") }
            guard let name = attributes["name"] else { return fail(parser, "<joint> has no name") }
            guard let type = attributes["type"] else { return fail(parser, "joint '\(name)' has no type") }
            joint = Pending(name: name, type: type, line: parser.lineNumber)
        case "parent", "child":
            guard joint != nil else { return }
            guard let link = attributes["link"] else { return fail(parser, "<\(element)> of joint '\(joint!.name)' has no link") }
            if element == "parent" { joint!.parent = link } else { joint!.child = link }
        case "origin":
            guard joint != nil else { return }
            if let xyz = numbers(attributes["xyz"], count: 3, "joint '\(joint!.name)': origin xyz", parser) { joint!.xyz = (xyz[0], xyz[1], xyz[2]) }
            if let rpy = numbers(attributes["rpy"], count: 3, "joint '\(joint!.name)': origin rpy", parser) { joint!.rpy = (rpy[0], rpy[1], rpy[2]) }
        case "axis":
            guard joint != nil else { return }
            if let axis = numbers(attributes["xyz"], count: 3, "joint '\(joint!.name)': axis xyz", parser) { joint!.axis = (axis[0], axis[1], axis[2]) }
        case "limit":
            guard joint != nil else { return }
            joint!.lower = attributes["lower"].flatMap(Double.init)
            joint!.upper = attributes["upper"].flatMap(Double.init)
        case "mimic":
            guard joint != nil else { return }
            guard let master = attributes["joint"] else { return fail(parser, "<mimic> of joint '\(joint!.name)' names no joint") }
            let multiplier = attributes["multiplier"].flatMap(Double.init) ?? 1
            let offset = attributes["offset"].flatMap(Double.init) ?? 0
            joint!.mimic = (master, multiplier, offset)
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        guard error == nil, element == "joint", let pending = joint else { return }
        joint = nil
        guard let type = URDF.JointType(rawValue: pending.type) else {
            let known = "revolute, continuous, prismatic or fixed"
            return fail(parser, "joint '\(pending.name)' has type '\(pending.type)'; DiffGen supports \(known)")
        }
        guard let parent = pending.parent else { return fail(parser, "joint '\(pending.name)' has no <parent>") }
        guard let child = pending.child else { return fail(parser, "joint '\(pending.name)' has no <child>") }
        let axis = pending.axis ?? (1, 0, 0)  // URDF's default axis
        if type != .fixed && axis.0 == 0 && axis.1 == 0 && axis.2 == 0 {
            return fail(parser, "joint '\(pending.name)' has a zero axis")
        }
        joints.append(URDF.Joint(name: pending.name, type: type, parent: parent, child: child, xyz: pending.xyz, rpy: pending.rpy,
                                 axis: axis, lower: pending.lower, upper: pending.upper,
                                 mimic: pending.mimic.map { (joint: $0.0, multiplier: $0.1, offset: $0.2) }, line: pending.line))
    }
}
