#include "network.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include "configure.hpp"
#include "devices.hpp"
#include "error.hpp"
#include "fd.hpp"
#include "host_record.hpp"
#include "host_side.hpp"
#include "ifname.hpp"
#include "namespaces.hpp"
#include "netlink.hpp"
#include "phys.hpp"
#include "plan.hpp"
#include "script.hpp"

namespace lxcd::net {

struct NetworkSetup::State {
    UniqueFd host_netns;
    UniqueFd container_netns; // keeps the namespace alive until teardown
    NlSocket host;
    NlSocket container;
    std::vector<Interface> interfaces;
    UndoList undo;
    HostRecord record;
    std::filesystem::path record_file; // "" when not kept

    Namespaces namespaces() const {
        return {host.get(), container.get(), host_netns.get(), container_netns.get()};
    }

    void save_record() const {
        if (!record_file.empty())
            write_host_record(record_file, record);
    }

    // Whatever the undo steps achieved, the namespace goes with this object:
    // nobody could return a device from it later.
    void drop_record_file() const {
        std::error_code ec;
        if (!record_file.empty())
            std::filesystem::remove(record_file, ec);
    }

    void run_undo() {
        std::exception_ptr first;
        while (!undo.empty()) {
            auto step = std::move(undo.back());
            undo.pop_back();
            try {
                step();
            } catch (...) {
                if (!first)
                    first = std::current_exception();
            }
        }
        if (first)
            std::rethrow_exception(first);
    }
};

NetworkSetup::NetworkSetup() = default;
NetworkSetup::NetworkSetup(std::unique_ptr<State> state) : state_(std::move(state)) {}
NetworkSetup::NetworkSetup(NetworkSetup&&) noexcept = default;

NetworkSetup& NetworkSetup::operator=(NetworkSetup&& other) noexcept {
    if (this != &other) {
        try {
            teardown();
        } catch (...) {
            // Cannot report from here; teardown() already did its best.
        }
        state_ = std::move(other.state_);
    }
    return *this;
}

NetworkSetup::~NetworkSetup() {
    try {
        teardown();
    } catch (...) {
        // A destructor must not throw; callers wanting errors call teardown().
    }
}

const std::vector<Interface>& NetworkSetup::interfaces() const {
    static const std::vector<Interface> none;
    return state_ ? state_->interfaces : none;
}

void NetworkSetup::teardown() {
    if (!state_)
        return;
    std::unique_ptr<State> state = std::move(state_);
    try {
        state->run_undo();
    } catch (...) {
        state->drop_record_file();
        throw;
    }
    state->drop_record_file();
}

namespace {

UniqueFd open_netns(const std::string& path) {
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw_errno("cannot open " + path);
    return fd;
}

// Configuring "the container" in our own namespace would rewire the host.
void require_distinct(int host_netns, int container_netns, pid_t init_pid) {
    struct stat host {
    }, container{};
    if (fstat(host_netns, &host) < 0 || fstat(container_netns, &container) < 0)
        throw_errno("cannot inspect network namespaces");
    if (host.st_dev == container.st_dev && host.st_ino == container.st_ino)
        throw Error(Errc::InvalidArgument,
                    "process " + std::to_string(init_pid) + " shares the host's network namespace");
}

void setup_one(const NetPlan& plan, NetworkSetup::State& st, const ScriptContext& ctx) {
    const auto& n = *plan.net;
    if (!creates_interface(n.type))
        return; // none, empty: loopback only
    const Namespaces ns = st.namespaces();
    const int ifindex = create_device(plan, ns, st.undo, st.record.phys);
    if (n.type == "phys")
        st.save_record();
    if (n.type == "veth")
        configure_veth_host_side(plan, ns.host);
    configure_interface(plan, ns.container, ifindex, n.type != "veth");
    add_l2proxy_entries(plan, ns.host, st.undo, st.record.proxies);
    if (n.l2proxy)
        st.save_record();
    st.interfaces.push_back(
        {n.index, n.type, plan.ifname, n.type == "phys" ? n.link : plan.host_name});
    if (!n.script_up.empty())
        run_net_script(plan, ctx, "up");
    if (!n.script_down.empty()) {
        // The caller's config may be gone by teardown: keep a copy of the entry.
        auto net = std::make_shared<const config::Network>(n);
        st.undo.push_back([plan, net, ctx] {
            NetPlan own = plan;
            own.net = net.get();
            run_net_script(own, ctx, "down");
        });
    }
}

} // namespace

NetworkSetup setup_networks(const config::Config& config, const std::string& container_name,
                            pid_t init_pid, const std::filesystem::path& record_file) {
    if (!runtime::configures_network(config))
        return NetworkSetup();

    auto st = std::make_unique<NetworkSetup::State>();
    st->record_file = record_file;
    st->host_netns = open_netns("/proc/thread-self/ns/net");
    st->container_netns = open_netns("/proc/" + std::to_string(init_pid) + "/ns/net");
    require_distinct(st->host_netns.get(), st->container_netns.get(), init_pid);
    st->host = open_route_socket();
    st->container = open_route_socket_in(st->container_netns.get());

    const std::vector<NetPlan> plans = plan_networks(config, st->host.get());
    const ScriptContext ctx{container_name, config.files.empty() ? "" : config.files.front(),
                            config.hook_version};
    NetworkSetup setup(std::move(st));
    // From here on, a failure tears down what exists before it propagates.
    bring_up_loopback(setup.state_->container.get());
    for (const auto& plan : plans)
        setup_one(plan, *setup.state_, ctx);
    return setup;
}

void reclaim_host_network(int container_netns, const std::filesystem::path& record_file) {
    const HostRecord record = read_host_record(record_file);
    UniqueFd host_netns = open_netns("/proc/thread-self/ns/net");
    NlSocket host = open_route_socket();
    NlSocket container;
    if (container_netns >= 0 && !record.phys.empty())
        container = open_route_socket_in(container_netns);
    const Namespaces ns{host.get(), container.get(), host_netns.get(), container_netns};
    FirstError errors;
    for (const auto& origin : record.phys)
        errors.attempt([&] {
            if (!container)
                throw Error(Errc::Failed, "cannot return \"" + origin.name +
                                              "\" to the host: its namespace was not kept");
            return_phys(ns, origin);
        });
    for (const auto& entry : record.proxies)
        errors.attempt([&] { remove_proxy_entry(host.get(), entry); });
    std::error_code ec;
    std::filesystem::remove(record_file, ec);
    errors.rethrow();
}

} // namespace lxcd::net
