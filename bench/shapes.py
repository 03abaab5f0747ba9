#!/usr/bin/env python3
"""Records, per resource type, what real Terraform writes that bench/gen.py would otherwise
not know: every attribute a created resource's `after` holds (the provider's defaults for
what the configuration leaves unset: null, [], false, 0, …), and the attributes
`after_unknown` marks unknown.

    tools/real-plan bench/out/hcl-1000 bench/out/real-1000.json   # (../shared/tools/real-plan)
    python3 bench/shapes.py bench/out/real-1000.json > bench/real-shapes.json

gen.py reads bench/real-shapes.json so its plans have the shape of real ones (issue 15:
"gen.py checked against reality"); bench/README.md says how the two were compared.
"""

import json
import sys


def main():
    plan = json.load(open(sys.argv[1]))
    shapes = {}
    for rc in plan["resource_changes"]:
        ch = rc["change"]
        if rc["type"] in shapes or ch["actions"] != ["create"]:
            continue
        after = ch.get("after") or {}
        unknown = ch.get("after_unknown") or {}
        shapes[rc["type"]] = {
            "defaults": dict(sorted(after.items())),
            "computed": sorted(k for k, v in unknown.items() if v is True),
        }
    json.dump(shapes, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
