#!/usr/bin/python3
"""Concurrency stress (issue 9): CLIENTS processes, each with its own system bus
connection, issue random start/stop/freeze/thaw/list calls on the given containers for
SECONDS. Every call must be answered: with success or a documented refusal of the state
it found (AlreadyRunning, NotRunning). Prints one figure line and, per error name, how
often it came; exits 1 if a call went unanswered or got another error.

usage: concurrency.py CLIENTS SECONDS NAME...
"""
import collections
import multiprocessing
import random
import sys
import time

import dbus

# What a call may answer when another client changed the container first.
EXPECTED = {"org.lxcd1.Error.AlreadyRunning", "org.lxcd1.Error.NotRunning"}
CALL_TIMEOUT = 120  # seconds: far above any single operation here; NoReply = unanswered


def client(args):
    seed, seconds, names = args
    rnd = random.Random(seed)
    bus = dbus.SystemBus(private=True)
    manager = dbus.Interface(bus.get_object("org.lxcd1", "/org/lxcd1"), "org.lxcd1.Manager")
    calls = collections.Counter()
    outcomes = collections.Counter()
    unexpected = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        op = rnd.choice(["start", "stop", "kill-stop", "freeze", "thaw", "list"])
        name = rnd.choice(names)
        calls[op] += 1
        try:
            if op == "start":
                manager.StartContainer(name, timeout=CALL_TIMEOUT)
            elif op == "stop":
                manager.StopContainerWithTimeout(name, dbus.UInt32(10), timeout=CALL_TIMEOUT)
            elif op == "kill-stop":
                manager.StopContainer(name, True, timeout=CALL_TIMEOUT)
            elif op == "freeze":
                manager.FreezeContainer(name, timeout=CALL_TIMEOUT)
            elif op == "thaw":
                manager.ThawContainer(name, timeout=CALL_TIMEOUT)
            else:
                manager.ListContainers(timeout=CALL_TIMEOUT)
            outcomes["ok"] += 1
        except dbus.exceptions.DBusException as e:
            error = e.get_dbus_name()
            outcomes[error] += 1
            if error not in EXPECTED:
                unexpected.append(f"{op} {name}: {error}: {e.get_dbus_message()}")
    bus.close()
    return calls, outcomes, unexpected


def main():
    clients, seconds, names = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
    with multiprocessing.Pool(clients) as pool:
        results = pool.map(client, [(i, seconds, names) for i in range(clients)])
    calls, outcomes, unexpected = collections.Counter(), collections.Counter(), []
    for c, o, u in results:
        calls += c
        outcomes += o
        unexpected += u
    total = sum(calls.values())
    answered = sum(outcomes.values())
    unanswered = outcomes["org.freedesktop.DBus.Error.NoReply"] + \
        outcomes["org.freedesktop.DBus.Error.Timeout"]
    print(f"stress: concurrency clients={clients} containers={len(names)} seconds={seconds:g} "
          f"calls answered={answered - unanswered}/{total} unexpected_errors={len(unexpected)}")
    print("calls: " + " ".join(f"{k}={v}" for k, v in sorted(calls.items())))
    print("answers: " + " ".join(f"{k}={v}" for k, v in sorted(outcomes.items())))
    for line in unexpected[:20]:
        print("unexpected: " + line)
    return 1 if unanswered or unexpected or answered != total else 0


if __name__ == "__main__":
    sys.exit(main())
