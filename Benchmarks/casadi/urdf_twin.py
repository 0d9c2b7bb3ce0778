"""CasADi's twin of DiffGen's URDF path: the same chain built in CasADi SX from the URDF (origins
as written, rotations about each joint axis by Rodrigues' formula), p, R and the geometric
Jacobian (z × (p − o), z), with cse. Prints its operation count and its build time as JSON."""
import json
import math
import sys
import time
import xml.etree.ElementTree as ElementTree

import casadi as ca


def numbers(text, default):
    return [float(v) for v in text.split()] if text else default


def rpy_matrix(r, p, y):
    cr, sr, cp, sp, cy, sy = math.cos(r), math.sin(r), math.cos(p), math.sin(p), math.cos(y), math.sin(y)
    return ca.DM([[cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr],
                  [sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr],
                  [-sp, cp * sr, cp * cr]])


def axis_rotation(a, q):
    c, s = ca.cos(q), ca.sin(q)
    k = ca.DM([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return c * ca.DM.eye(3) + s * k + (1 - c) * ca.DM(a) @ ca.DM(a).T


def main():
    urdf, base, tip = sys.argv[1], sys.argv[2], sys.argv[3]
    start = time.thread_time()
    root = ElementTree.parse(urdf).getroot()
    joint_to = {j.find("child").get("link"): j for j in root.findall("joint")}
    path, link = [], tip
    while link != base:
        joint = joint_to[link]
        path.append(joint)
        link = joint.find("parent").get("link")
    path.reverse()
    moving = [j for j in path if j.get("type") != "fixed"]
    q = ca.SX.sym("q", len(moving))
    r, p = ca.SX.eye(3), ca.SX.zeros(3, 1)
    columns = []
    for joint in path:
        origin = joint.find("origin")
        xyz = numbers(origin.get("xyz") if origin is not None else None, [0, 0, 0])
        rpy = numbers(origin.get("rpy") if origin is not None else None, [0, 0, 0])
        p = p + r @ ca.DM(xyz)
        r = r @ rpy_matrix(*rpy)
        if joint.get("type") == "fixed":
            continue
        axis = numbers(joint.find("axis").get("xyz") if joint.find("axis") is not None else None, [1, 0, 0])
        norm = math.sqrt(sum(v * v for v in axis))
        a = [v / norm for v in axis]
        z = r @ ca.DM(a)
        angle = q[len(columns)]
        columns.append((z, p))
        r = r @ axis_rotation(a, angle)
    jacobian = ca.horzcat(*[ca.vertcat(ca.cross(z, p - o), z) for z, o in columns])
    function = ca.Function("urdf_twin", [q], [p, r, jacobian], {"cse": True})
    seconds = time.thread_time() - start
    skip = {ca.OP_INPUT, ca.OP_OUTPUT, ca.OP_CONST, ca.OP_PARAMETER}
    operations = sum(1 for k in range(function.n_instructions()) if function.instruction_id(k) not in skip)
    print(json.dumps({"operations": operations, "build_seconds": seconds}))


main()
