import DiffGenAD
import DiffGenCore
import Foundation

/// The kinematic chain of a URDF robot from a base link to a tip link.
///
/// Conventions (Pinocchio's LOCAL_WORLD_ALIGNED): `p` is the tip frame's origin in base
/// coordinates, `R` its orientation (tip axes in base coordinates), and the geometric Jacobian
/// `J` (6×n) has the linear velocity of the tip origin in base axes in rows 0–2 (equal to ∂p/∂q)
/// and the angular velocity in base axes in rows 3–5.
public struct RobotChain {
    public let urdf: URDF
    public let base: String
    public let tip: String
    /// The joints from base to tip, fixed ones included.
    public let path: [URDF.Joint]
    /// The moving joints whose positions are the input q, from base to tip (mimic joints
    /// follow their joint and are not inputs).
    public let inputJoints: [URDF.Joint]

    /// The chain from `base` to `tip`.
    /// - Throws: `URDFError` for an unknown link, no path from base to tip, a loop, or a mimic
    ///   joint whose joint is not on the chain.
    public init(_ urdf: URDF, base: String, tip: String) throws {
        self.urdf = urdf
        self.base = base
        self.tip = tip
        for (role, link) in [("base", base), ("tip", tip)] where !urdf.links.contains(link) {
            throw URDFError(line: 1, message: "the \(role) link '\(link)' is not defined")
        }
        var jointTo: [String: URDF.Joint] = [:]
        for joint in urdf.joints { jointTo[joint.child] = joint }
        var reversed: [URDF.Joint] = []
        var link = tip
        var visited: Set<String> = [tip]
        while link != base {
            guard let joint = jointTo[link] else {
                throw URDFError(line: 1, message: "no path from base link '\(base)' to tip link '\(tip)' ('\(link)' has no parent)")
            }
            reversed.append(joint)
            link = joint.parent
            guard visited.insert(link).inserted else {
                throw URDFError(line: joint.line, message: "the joints form a loop through link '\(link)'")
            }
        }
        path = reversed.reversed()
        inputJoints = path.filter { $0.type != .fixed && $0.mimic == nil }
        let inputs = Set(inputJoints.map(\.name))
        for joint in path where joint.mimic != nil && !inputs.contains(joint.mimic!.joint) {
            throw URDFError(line: joint.line, message: "joint '\(joint.name)' mimics '\(joint.mimic!.joint)', which is not a moving joint between '\(base)' and '\(tip)'")
        }
    }

    /// The chain's kinematics over input `q` (one symbol per input joint).
    public struct Kinematics {
        public let q: Matrix
        public let p: Matrix
        public let R: Matrix
        public let J: Matrix
    }

    /// Builds p, R and J. `snap`: treat rotation and axis entries within this distance of 0 or
    /// ±1 as exact (off by default: numbers are used as written).
    public func kinematics(in context: ExprContext, snap: Double? = nil) throws -> Kinematics {
        let q = context.vector("q", count: inputJoints.count)
        let index = Dictionary(uniqueKeysWithValues: inputJoints.enumerated().map { ($0.element.name, $0.offset) })
        func snapped(_ v: Double) -> Double {
            guard let snap else { return v }
            for target in [0.0, 1, -1] where Swift.abs(v - target) <= snap { return target }
            return v
        }
        var r = Matrix.identity(3, in: context)
        var p = Matrix(context, rows: 3, cols: 1)
        // Per moving joint: its axis and origin in base coordinates, and which input it feeds.
        var columns: [(input: Int, scale: Double, axis: Matrix, origin: Matrix, prismatic: Bool)] = []
        for joint in path {
            let origin = Self.rpyMatrix(joint.rpy).map { $0.map(snapped) }
            p = try p + r * (try Matrix(context, constants: [[joint.xyz.0], [joint.xyz.1], [joint.xyz.2]]))
            r = try r * Matrix(context, constants: origin)
            guard joint.type != .fixed else { continue }
            let norm = (joint.axis.0 * joint.axis.0 + joint.axis.1 * joint.axis.1 + joint.axis.2 * joint.axis.2).squareRoot()
            let a = [joint.axis.0 / norm, joint.axis.1 / norm, joint.axis.2 / norm].map(snapped)
            let (input, scale, offset): (Int, Double, Double)
            if let mimic = joint.mimic { (input, scale, offset) = (index[mimic.joint]!, mimic.multiplier, mimic.offset) }
            else { (input, scale, offset) = (index[joint.name]!, 1, 0) }
            var angle = q[input]
            if scale != 1 { angle = angle * scale }
            if offset != 0 { angle = angle + offset }
            let axis = try r * Matrix(context, constants: [[a[0]], [a[1]], [a[2]]])
            if joint.type == .prismatic {
                columns.append((input, scale, axis, p, true))
                p = try p + axis * angle
            } else {
                columns.append((input, scale, axis, p, false))
                r = try r * Matrix.rotation(axis: (a[0], a[1], a[2]), angle: angle)
            }
        }
        var j = Matrix(context, rows: 6, cols: inputJoints.count)
        for column in columns {
            let linear = column.prismatic ? column.axis : try column.axis.cross(try p - column.origin)
            let angular = column.prismatic ? Matrix(context, rows: 3, cols: 1) : column.axis
            // A mimic joint adds its scaled column to its joint's.
            for (row, value) in (0..<3).map({ ($0, linear[$0]) }) + (0..<3).map({ ($0 + 3, angular[$0]) }) {
                let term = column.scale == 1 ? value : value * column.scale
                j[row, column.input] = j.isStructuralZero(row + 6 * column.input) ? term : j[row, column.input] + term
            }
        }
        return Kinematics(q: q, p: p, R: r, J: j)
    }

    /// A function `name(q) -> (p, R, J)`.
    public func function(named name: String, in context: ExprContext = ExprContext(), snap: Double? = nil) throws -> Function {
        let k = try kinematics(in: context, snap: snap)
        return try Function(name, inputs: [("q", k.q)], outputs: [("p", k.p), ("R", k.R), ("J", k.J)])
    }

    /// The 12×n Jacobian of (p, vec R) (vec stacks R's columns) with respect to q.
    public func poseJacobian(_ kinematics: Kinematics) throws -> Matrix {
        try jacobian(of: try Matrix.vertical([kinematics.p, kinematics.R.reshaped(rows: 9, cols: 1)]), wrt: kinematics.q)
    }

    /// Rz(yaw)·Ry(pitch)·Rx(roll), from the numbers as written.
    static func rpyMatrix(_ rpy: (Double, Double, Double)) -> [[Double]] {
        let (cr, sr, cp, sp, cy, sy) = (cos(rpy.0), sin(rpy.0), cos(rpy.1), sin(rpy.1), cos(rpy.2), sin(rpy.2))
        if rpy == (0, 0, 0) { return [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }
        return [
            [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr],
            [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr],
            [-sp, cp * sr, cp * cr],
        ]
    }
}

extension RobotChain {
    /// One damped-least-squares inverse-kinematics step as one function
    /// `name(q, target, orientation) -> (q_next, error)`: with the pose error
    /// e = [target − p; ½ Σᵢ R[:, i] × orientation[:, i]] (position, then a small-angle
    /// orientation error), q_next = q + Jᵀ (J·Jᵀ + λ²I)⁻¹ e, solved by Cholesky inside the
    /// function (no library call), and `error` = ‖e‖.
    public func dampedLeastSquaresStep(named name: String, damping lambda: Double, in context: ExprContext = ExprContext()) throws -> Function {
        let k = try kinematics(in: context)
        let target = context.vector("target", count: 3), orientation = context.matrix("orientation", rows: 3, cols: 3)
        var rotationError = Matrix(context, rows: 3, cols: 1)
        for i in 0..<3 { rotationError = try rotationError + 0.5 * (try k.R.column(i).cross(orientation.column(i))) }
        let error = try Matrix.vertical([try target - k.p, rotationError])
        let damped = try k.J * k.J.transposed() + Matrix.identity(6, in: context) * (lambda * lambda)
        let next = try k.q + k.J.transposed() * (try damped.choleskySolve(error))
        return try Function(name, inputs: [("q", k.q), ("target", target), ("orientation", orientation)],
                            outputs: [("q_next", next), ("error", Matrix(error.norm()))])
    }
}
