"""Pinocchio (the pip wheel `pin`), an independent rigid-body library: the tip frame's position,
rotation (column-major) and LOCAL_WORLD_ALIGNED frame Jacobian (column-major) of a URDF at the
given joint positions, as JSON."""
import json, sys
import numpy as np
import pinocchio as pin
urdf, base, tip = sys.argv[1], sys.argv[2], sys.argv[3]
points = json.loads(sys.argv[4])
model = pin.buildModelFromUrdf(urdf)
data = model.createData()
frame = model.getFrameId(tip)
out = []
def configuration(angles):
    # Pinocchio stores a continuous joint's position as (cos θ, sin θ).
    q = np.zeros(model.nq)
    for k, joint in enumerate(model.joints[1:]):
        if joint.nq == 2:
            q[joint.idx_q:joint.idx_q + 2] = [np.cos(angles[k]), np.sin(angles[k])]
        else:
            q[joint.idx_q] = angles[k]
    return q
for angles in points:
    q = configuration(angles)
    pin.framesForwardKinematics(model, data, q)
    J = pin.computeFrameJacobian(model, data, q, frame, pin.LOCAL_WORLD_ALIGNED)
    M = data.oMf[frame]
    out.append({"p": M.translation.tolist(), "R": M.rotation.T.flatten().tolist(), "J": J.T.flatten().tolist()})
print(json.dumps({"nq": model.nq, "names": [model.names[i] for i in range(1, model.njoints)], "points": out}))
