// Creating, populating and removing a container's cgroups. Limits are in
// cgroup_limits.cpp, freezing and killing in cgroup_freezer.cpp.
#include "cgroup.hpp"

#include "cgroup_fs.hpp"
#include "error.hpp"
#include "unprivileged.hpp"

#include <algorithm>
#include <cerrno>
#include <system_error>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lxcd::cgroup {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// A new v1 cpuset cgroup starts with no CPUs or memory nodes and refuses
// tasks until given some: inherit the parent's.
void inherit_cpuset(const fs::path& dir) {
    for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
        if (!trim(read_file(dir / file)).empty())
            continue;
        std::string parent(trim(read_file(dir.parent_path() / file)));
        write_file(dir / file, parent);
    }
}

void move_pid(const fs::path& dir, pid_t pid) {
    write_file(dir / "cgroup.procs", std::to_string(pid));
}

// rmdir of dir and anything the container created below it, depth first.
// A cgroup stays busy for a moment after its last task exited, so EBUSY is
// retried until the deadline.
void remove_tree(const fs::path& dir, Clock::time_point deadline) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory(ec) && !entry.is_symlink(ec))
            remove_tree(entry.path(), deadline);
    if (ec && ec != std::errc::no_such_file_or_directory)
        throw_errno("list " + dir.string(), ec.value());
    auto delay = std::chrono::milliseconds(1);
    while (::rmdir(dir.c_str()) < 0) {
        if (errno == ENOENT)
            return;
        if (errno != EBUSY || Clock::now() >= deadline)
            throw_errno("remove cgroup " + dir.string());
        std::this_thread::sleep_for(delay);
        delay = std::min(delay * 2, std::chrono::milliseconds(50));
    }
}

// True if a process is in dir or below it.
bool tree_has_tasks(const fs::path& dir) {
    if (!trim(read_file(dir / "cgroup.procs")).empty())
        return true;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory(ec) && !entry.is_symlink(ec) && tree_has_tasks(entry.path()))
            return true;
    return false;
}

// A container's cgroup that exists with no process in its tree was left by a
// supervisor killed before its teardown, in a hierarchy systemd does not clean
// up with the scope (v1 controllers on hybrid hosts): it is made anew.
void recreate_stale(const fs::path& dir) {
    if (tree_has_tasks(dir))
        throw Error(Errc::AlreadyExists, "cgroup " + dir.string() +
                                             " already exists with processes in it (a "
                                             "container of that name is running)");
    remove_tree(dir, Clock::now() + ContainerCgroups::kDefaultTimeout);
    if (::mkdir(dir.c_str(), 0755) < 0)
        throw_errno("create cgroup " + dir.string());
}

bool is_ancestor_or_self(const fs::path& ancestor, const fs::path& p) {
    auto [a, b] = std::mismatch(ancestor.begin(), ancestor.end(), p.begin(), p.end());
    return a == ancestor.end();
}

} // namespace

ContainerCgroups::ContainerCgroups(const Layout& layout, const config::Config& conf,
                                   std::string_view name, std::string_view scope_unit)
    : layout_(layout), paths_(resolve_paths(conf, name)), scope_unit_(scope_unit) {
    try {
        setup(conf);
    } catch (...) {
        try {
            teardown(kDefaultTimeout);
        } catch (const Error&) {
            // The setup error is the one worth reporting.
        }
        throw;
    }
}

ContainerCgroups::~ContainerCgroups() {
    if (destroyed_)
        return;
    try {
        teardown(kDefaultTimeout);
    } catch (const Error&) {
        // Destructors must not throw; destroy() reports errors.
    }
}

void ContainerCgroups::destroy(std::chrono::milliseconds timeout) {
    if (destroyed_)
        return;
    destroyed_ = true;
    teardown(timeout);
}

void ContainerCgroups::setup(const config::Config& conf) {
    for (const auto& h : layout_.hierarchies) {
        // Hierarchies systemd does not manage (e.g. v1 freezer, net_cls on a
        // hybrid host) leave the supervisor in their root cgroup: nothing of
        // ours goes there.
        if (h.own == "/") {
            warnings_.push_back("cgroup hierarchy " + h.label() +
                                " not used: the supervisor is in its root cgroup");
            continue;
        }
        // Unprivileged, only the unified hierarchy is ours: a user's systemd delegates no
        // v1 controller, and v1 lets only the same uid move a process (the container's
        // init no longer has ours), so the payload stays in our cgroup there.
        if (runtime::unprivileged() && !h.unified) {
            warnings_.push_back("cgroup v1 hierarchy " + h.label() +
                                " not used: the container is unprivileged");
            continue;
        }
        bool in_scope = !scope_unit_.empty() && fs::path(h.own).filename() == scope_unit_;
        nodes_.push_back(Node{h, h.own_dir(), {}, {}, in_scope, false, false});
    }
    if (nodes_.empty())
        throw Error(Errc::Failed, "refusing to create container cgroups in root cgroups: the "
                                  "supervisor must run in its own cgroup (its systemd scope)");
    // The supervisor leaves the base cgroup first: with cgroup v2, a cgroup
    // that delegates controllers to its children may not hold processes.
    for (auto& n : nodes_) {
        if (!scope_unit_.empty() && !n.in_scope)
            continue; // not ours to rearrange: only the payload goes below it
        make_chain(n, paths_.monitor, false, false);
        move_pid(n.dir(paths_.monitor), ::getpid());
        n.self_moved = true;
    }
    for (auto& n : nodes_)
        make_chain(n, paths_.process_cgroup(), n.hierarchy.unified, false);
    apply_v1(conf);
    apply_v2(conf);
}

void ContainerCgroups::make_chain(Node& n, const std::string& rel, bool enable,
                                  bool leaf_may_exist) {
    fs::path dir = n.base;
    std::vector<std::string> parts = split(rel, '/');
    for (size_t i = 0; i < parts.size(); i++) {
        if (enable)
            enable_controllers(n, dir);
        dir /= parts[i];
        bool leaf = i + 1 == parts.size();
        if (::mkdir(dir.c_str(), 0755) < 0) {
            if (errno != EEXIST)
                throw_errno("create cgroup " + dir.string());
            if (!leaf || leaf_may_exist)
                continue;
            recreate_stale(dir);
        }
        n.created.push_back(dir);
        if (!n.hierarchy.unified && n.hierarchy.has_controller("cpuset"))
            inherit_cpuset(dir);
    }
}

void ContainerCgroups::enable_controllers(Node& n, const fs::path& dir) {
    std::vector<std::string> active = split(trim(read_file(dir / "cgroup.subtree_control")), ' ');
    for (const auto& c : split(trim(read_file(dir / "cgroup.controllers")), ' ')) {
        if (std::find(active.begin(), active.end(), c) != active.end())
            continue;
        write_file(dir / "cgroup.subtree_control", "+" + c);
        if (dir == n.base)
            n.enabled.push_back(c);
    }
}

void ContainerCgroups::attach(pid_t pid) {
    for (const auto& n : nodes_)
        move_pid(n.dir(paths_.process_cgroup()), pid);
}

UniqueFd ContainerCgroups::open_unified_process_dir() const {
    const Node* n = unified_node();
    if (!n)
        return UniqueFd();
    fs::path dir = n->dir(paths_.process_cgroup());
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        throw_errno("open cgroup " + dir.string());
    return fd;
}

std::string ContainerCgroups::payload_cgroup() const {
    const Node& n = primary_node();
    return (n.hierarchy.own == "/" ? "" : n.hierarchy.own) + "/" + paths_.payload;
}

const ContainerCgroups::Node* ContainerCgroups::unified_node() const {
    for (const auto& n : nodes_)
        if (n.hierarchy.unified)
            return &n;
    return nullptr;
}

const ContainerCgroups::Node* ContainerCgroups::v1_node(std::string_view controller) const {
    for (const auto& n : nodes_)
        if (!n.hierarchy.unified && n.hierarchy.has_controller(controller))
            return &n;
    return nullptr;
}

const ContainerCgroups::Node& ContainerCgroups::primary_node() const {
    if (const Node* n = unified_node())
        return *n;
    if (const Node* n = v1_node("name=systemd"))
        return *n;
    if (nodes_.empty())
        throw Error(Errc::Failed, "container has no cgroups");
    return nodes_.front();
}

void ContainerCgroups::teardown(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    FirstError errors;

    errors.attempt([&] {
        if (!nodes_.empty() && populated()) {
            kill_all();
            wait_empty(timeout);
        }
    });
    // The supervisor cannot remove the cgroup it sits in: park it in the pivot
    // (in a scope, systemd removes it after we exit).
    for (auto& n : nodes_)
        if (n.self_moved && !n.in_scope)
            errors.attempt([&] {
                make_chain(n, paths_.pivot, false, true);
                move_pid(n.dir(paths_.pivot), ::getpid());
                n.in_pivot = true;
            });
    for (auto& n : nodes_) {
        const fs::path pivot = n.dir(paths_.pivot);
        const fs::path monitor = n.dir(paths_.monitor);
        for (auto it = n.created.rbegin(); it != n.created.rend(); ++it)
            if ((!n.in_pivot || !is_ancestor_or_self(*it, pivot)) &&
                (!n.in_scope || !is_ancestor_or_self(*it, monitor)))
                errors.attempt([&] { remove_tree(*it, deadline); });
        if (n.in_scope)
            continue; // the scope goes with everything below it
        // Give the base back as we found it, so the supervisor may return.
        for (const auto& c : n.enabled)
            errors.attempt([&] { write_file(n.base / "cgroup.subtree_control", "-" + c); });
        if (n.in_pivot)
            errors.attempt([&] {
                move_pid(n.base, ::getpid());
                for (auto it = n.created.rbegin(); it != n.created.rend(); ++it)
                    if (is_ancestor_or_self(*it, pivot))
                        remove_tree(*it, deadline);
            });
    }
    nodes_.clear();
    errors.rethrow();
}

} // namespace lxcd::cgroup
