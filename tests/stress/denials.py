#!/usr/bin/python3
"""Access control (issue 9): calls every method of lxcd's own interfaces (org.lxcd1.*), as
found by introspection of /org/lxcd1 and of a container's object, with busctl as USER, and
counts the ones lxcd denies. Reads (OPEN) and methods meant for non-root callers (their
names contain "usernet", issue 7) are called too and must not be denied. Prints
"stress: denied=N/N ..." and exits 1 if a mutating method was not denied.

usage: denials.py USER CONTAINER
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

OPEN = {"ListContainers", "GetContainer", "Plan", "ListSnapshots"}
# One harmless value per basic type; containers are given empty.
VALUES = {"s": None, "o": "/org/lxcd1", "b": "false", "i": "15", "u": "1", "t": "1",
          "x": "1", "y": "1", "n": "1", "q": "1", "d": "1", "g": "s",
          "h": "0"}  # busctl sends its own descriptor 0


def busctl_args(signature, name):
    """busctl's argument list for signature; strings are the container's name."""
    out, i = [], 0
    while i < len(signature):
        c = signature[i]
        if c == "a":  # an empty array, whatever its element
            out.append("0")
            i = type_end(signature, i + 1)
            continue
        if c == "v":
            out += ["s", name]
        else:
            out.append(name if c == "s" else VALUES[c])
        i += 1
    return out


def type_end(signature, i):
    """The index just after the single complete type that starts at i."""
    if signature[i] == "a":
        return type_end(signature, i + 1)
    if signature[i] in "({":
        return matching(signature, i) + 1
    return i + 1


def matching(signature, i):
    depth = 0
    for j in range(i, len(signature)):
        depth += signature[j] in "({"
        depth -= signature[j] in ")}"
        if depth == 0:
            return j
    raise ValueError(signature)


def methods(path):
    xml = subprocess.run(["busctl", "introspect", "--xml-interface", "org.lxcd1", path],
                         check=True, capture_output=True, text=True).stdout
    for iface in ET.fromstring(xml).iter("interface"):
        if not iface.get("name").startswith("org.lxcd1."):
            continue
        for m in iface.iter("method"):
            sig = "".join(a.get("type") for a in m.iter("arg")
                          if a.get("direction", "in") == "in")
            yield path, iface.get("name"), m.get("name"), sig


def main():
    user, name = sys.argv[1], sys.argv[2]
    found = list(methods("/org/lxcd1")) + \
        list(methods("/org/lxcd1/container/" + name.replace("-", "_2d")))
    mutating = denied = opened = 0
    wrong = []
    for path, iface, method, sig in found:
        cmd = ["runuser", "-u", user, "--", "busctl", "call", "--timeout=30", "org.lxcd1",
               path, iface, method]
        if sig:
            cmd += [sig] + busctl_args(sig, name)
        r = subprocess.run(cmd, capture_output=True, text=True)
        was_denied = r.returncode != 0 and "Access denied" in r.stderr
        should_be_open = method in OPEN or re.search("usernet", method, re.I)
        if should_be_open:
            opened += 1
            if was_denied:
                wrong.append(f"{iface}.{method} denied to {user} but open to all")
        else:
            mutating += 1
            denied += was_denied
            if not was_denied:
                wrong.append(f"{iface}.{method} not denied to {user}: rc={r.returncode} "
                             f"{r.stderr.strip() or r.stdout.strip()}")
    print(f"stress: denied={denied}/{mutating} mutating calls by a non-root caller "
          f"(and {opened} open methods answered)")
    for w in wrong:
        print("FAIL: " + w)
    return 1 if wrong or mutating == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
