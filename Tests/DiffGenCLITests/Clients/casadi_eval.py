"""Loads one function of a DiffGen shared library with casadi.external, evaluates it at the
inputs given as JSON lists on the command line, and prints its outputs as dense rows (JSON)."""
import json
import sys

import casadi as ca

library, name = sys.argv[1], sys.argv[2]
inputs = [ca.DM(json.loads(text)) for text in sys.argv[3:]]
function = ca.external(name, library)
outputs = function.call(inputs)
print(json.dumps({function.name_out(k): ca.DM(value).full().tolist() for k, value in enumerate(outputs)}))
