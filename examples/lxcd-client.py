#!/usr/bin/python3
"""A D-Bus client of lxcd in Python (python3-dbus): what any program can do
without lxcctl. Reads are open to everyone; start and stop need root.

    lxcd-client.py list                 every container, its state and addresses
    lxcd-client.py start NAME           start and wait until RUNNING
    lxcd-client.py stop NAME [--kill]   stop (halt signal, then kill) and wait
    lxcd-client.py watch [SECONDS]      print state changes as they come
"""
import sys

import dbus

BUS_NAME = "org.lxcd1"
MANAGER_PATH = "/org/lxcd1"
MANAGER = "org.lxcd1.Manager"
CONTAINER = "org.lxcd1.Container"
OBJECT_MANAGER = "org.freedesktop.DBus.ObjectManager"


def manager(bus):
    return dbus.Interface(bus.get_object(BUS_NAME, MANAGER_PATH), MANAGER)


def list_containers(bus):
    # One call for every container and all its properties (lxcd is an ObjectManager).
    objects = dbus.Interface(bus.get_object(BUS_NAME, MANAGER_PATH),
                             OBJECT_MANAGER).GetManagedObjects()
    rows = [props[CONTAINER] for props in objects.values() if CONTAINER in props]
    for c in sorted(rows, key=lambda p: str(p["Name"])):
        addresses = " ".join(map(str, list(c["IPv4Addresses"]) + list(c["IPv6Addresses"])))
        print(f"{c['Name']:<16} {c['State']:<10} {addresses or '-'}")


def start(bus, name):
    # StartContainer answers once the container is RUNNING, or with the reason it is not.
    manager(bus).StartContainer(name, timeout=120)
    print(f"{name}: RUNNING")


def stop(bus, name, force):
    manager(bus).StopContainer(name, force, timeout=120)
    print(f"{name}: STOPPED")


def watch(bus, seconds):
    from gi.repository import GLib

    loop = GLib.MainLoop()
    bus.add_signal_receiver(lambda name, state: print(f"{name} {state}", flush=True),
                            signal_name="ContainerStateChanged", dbus_interface=MANAGER,
                            bus_name=BUS_NAME, path=MANAGER_PATH)
    GLib.timeout_add_seconds(seconds, loop.quit)
    loop.run()


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    if argv[1] == "watch":
        from dbus.mainloop.glib import DBusGMainLoop
        bus = dbus.SystemBus(mainloop=DBusGMainLoop())
        watch(bus, int(argv[2]) if len(argv) > 2 else 10)
        return
    bus = dbus.SystemBus()
    try:
        if argv[1] == "list":
            list_containers(bus)
        elif argv[1] == "start" and len(argv) == 3:
            start(bus, argv[2])
        elif argv[1] == "stop" and len(argv) in (3, 4):
            stop(bus, argv[2], argv[3:] == ["--kill"])
        else:
            sys.exit(__doc__)
    except dbus.DBusException as e:
        # lxcd's errors are org.lxcd1.Error.<Name> with a message naming the problem.
        sys.exit(f"{e.get_dbus_name()}: {e.get_dbus_message()}")


if __name__ == "__main__":
    main(sys.argv)
