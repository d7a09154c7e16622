#include "user_nic_client.hpp"

#include "error.hpp"
#include "ifname.hpp"
#include "sd_bus_handles.hpp"
#include "unprivileged.hpp"

namespace lxcd::net {

namespace {

void check(int r, const char* what) {
    if (r < 0)
        throw_errno(std::string("lxcd (system bus): ") + what, -r);
}

void append_device(sd_bus_message* m, const config::Network& n, const std::string& name) {
    check(sd_bus_message_open_container(m, 'a', "{sv}"), "build the request");
    check(sd_bus_message_append(m, "{sv}", "link", "s", n.link.c_str()), "build the request");
    check(sd_bus_message_append(m, "{sv}", "name", "s", name.c_str()), "build the request");
    check(sd_bus_message_append(m, "{sv}", "index", "u", n.index), "build the request");
    if (!n.hwaddr.empty())
        check(sd_bus_message_append(m, "{sv}", "hwaddr", "s", n.hwaddr.c_str()),
              "build the request");
    if (n.mtu)
        check(sd_bus_message_append(m, "{sv}", "mtu", "u", *n.mtu), "build the request");
    check(sd_bus_message_close_container(m), "build the request");
}

[[noreturn]] void throw_refusal(const sd_bus_error& e) {
    const std::string name = e.name ? e.name : "";
    throw Error(Error::code_from_dbus_name(name),
                "lxcd: " + std::string(e.message ? e.message : name));
}

} // namespace

std::vector<HostNic> request_user_nics(int netns_fd, int init_pidfd, const std::string& container,
                                       const std::vector<config::Network>& nets) {
    const std::vector<std::string> names = container_ifnames(nets);
    std::vector<const config::Network*> wanted;
    std::vector<std::string> wanted_names;
    for (size_t i = 0; i < nets.size(); i++) {
        if (nets[i].type == "none" || nets[i].type == "empty")
            continue;
        runtime::check_unprivileged_network(nets[i]);
        wanted.push_back(&nets[i]);
        wanted_names.push_back(names[i]);
    }
    if (wanted.empty())
        return {};

    sd_bus* raw_bus = nullptr;
    check(sd_bus_open_system(&raw_bus), "connect");
    SdBusPtr bus(raw_bus);
    sd_bus_message* raw = nullptr;
    check(sd_bus_message_new_method_call(bus.get(), &raw, "org.lxcd1", "/org/lxcd1",
                                         "org.lxcd1.Manager", "CreateUserNetworkDevices"),
          "build the request");
    SdBusMessagePtr call(raw);
    check(sd_bus_message_append(call.get(), "hhs", netns_fd, init_pidfd, container.c_str()),
          "build the request");
    check(sd_bus_message_open_container(call.get(), 'a', "a{sv}"), "build the request");
    for (size_t i = 0; i < wanted.size(); i++)
        append_device(call.get(), *wanted[i], wanted_names[i]);
    check(sd_bus_message_close_container(call.get()), "build the request");

    SdBusError error;
    sd_bus_message* raw_reply = nullptr;
    if (sd_bus_call(bus.get(), call.get(), 0, &error.error, &raw_reply) < 0)
        throw_refusal(error.error);
    SdBusMessagePtr reply(raw_reply);

    std::vector<HostNic> nics;
    check(sd_bus_message_enter_container(reply.get(), 'a', "(ss)"), "read the reply");
    const char* host_name = nullptr;
    const char* name = nullptr;
    while (nics.size() < wanted.size() &&
           sd_bus_message_read(reply.get(), "(ss)", &host_name, &name) > 0)
        nics.push_back({wanted[nics.size()]->index, host_name, name});
    if (nics.size() != wanted.size())
        throw Error(Errc::Failed, "lxcd answered " + std::to_string(nics.size()) + " devices for " +
                                      std::to_string(wanted.size()));
    return nics;
}

} // namespace lxcd::net
