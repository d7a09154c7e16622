// bus-roundtrip: times D-Bus calls from one connected client, as a long-running client
// (a UI, an agent, another daemon) talks to lxcd: N calls one after the other on one
// system bus connection, each timed from sending to its answer. Prints one duration per
// line, in milliseconds. Used by bench/inside; not installed.
//
//   bus-roundtrip get-state NAME N   Properties.Get of org.lxcd1.Container.State of NAME
//   bus-roundtrip list N             org.lxcd1.Manager.ListContainers
//   bus-roundtrip bus-id N           org.freedesktop.DBus.GetId: the bus daemon alone
#include <systemd/sd-bus.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

namespace {

struct BusUnref {
    void operator()(sd_bus* b) const { sd_bus_flush_close_unref(b); }
};
struct MessageUnref {
    void operator()(sd_bus_message* m) const { sd_bus_message_unref(m); }
};
using Bus = std::unique_ptr<sd_bus, BusUnref>;
using Message = std::unique_ptr<sd_bus_message, MessageUnref>;

struct Call {
    const char* destination;
    std::string path;
    const char* interface;
    const char* member;
    std::string arg1, arg2; // string arguments, if any
};

int usage() {
    std::fprintf(stderr, "usage: bus-roundtrip get-state NAME N | list N | bus-id N\n");
    return 2;
}

Message make_call(sd_bus* bus, const Call& c) {
    sd_bus_message* m = nullptr;
    int r = sd_bus_message_new_method_call(bus, &m, c.destination, c.path.c_str(), c.interface,
                                           c.member);
    for (const std::string* arg : {&c.arg1, &c.arg2})
        if (r >= 0 && !arg->empty())
            r = sd_bus_message_append(m, "s", arg->c_str());
    if (r < 0) {
        std::fprintf(stderr, "bus-roundtrip: build %s: %s\n", c.member, std::strerror(-r));
        std::exit(1);
    }
    return Message(m);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 3)
        return usage();
    const std::string what = argv[1];
    Call call;
    if (what == "get-state" && argc == 4) {
        char* path = nullptr;
        if (sd_bus_path_encode("/org/lxcd1/container", argv[2], &path) < 0)
            return 1;
        call = {"org.lxcd1",           path,   "org.freedesktop.DBus.Properties", "Get",
                "org.lxcd1.Container", "State"};
        std::free(path);
    } else if (what == "list" && argc == 3) {
        call = {"org.lxcd1", "/org/lxcd1", "org.lxcd1.Manager", "ListContainers", "", ""};
    } else if (what == "bus-id" && argc == 3) {
        call = {"org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "GetId",
                "",
                ""};
    } else {
        return usage();
    }
    const int n = std::atoi(argv[argc - 1]);

    sd_bus* raw = nullptr;
    if (int r = sd_bus_open_system(&raw); r < 0) {
        std::fprintf(stderr, "bus-roundtrip: connect: %s\n", std::strerror(-r));
        return 1;
    }
    Bus bus(raw);
    for (int i = 0; i < n; ++i) {
        Message m = make_call(bus.get(), call); // built before the clock starts
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message* reply = nullptr;
        auto t0 = std::chrono::steady_clock::now();
        int r = sd_bus_call(bus.get(), m.get(), 0, &error, &reply);
        auto t1 = std::chrono::steady_clock::now();
        Message answer(reply);
        if (r < 0) {
            std::fprintf(stderr, "bus-roundtrip: %s: %s\n", call.member,
                         error.message ? error.message : std::strerror(-r));
            sd_bus_error_free(&error);
            return 1;
        }
        std::printf("%.4f\n", std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    return 0;
}
